/** The Europe/London calendar date of an instant: "today" for due dates, whatever the server's TZ. */
const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

export function londonDate(now: Date): string {
  return fmt.format(now); // en-CA formats as YYYY-MM-DD
}
