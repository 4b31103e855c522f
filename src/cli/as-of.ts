/**
 * `--as-of` for report, actions, export and nudges: the plan as it stood at a moment.
 *
 * A date (YYYY-MM-DD, or DD/MM/YYYY as officers write it) means the END of that day in London:
 * "the plan as at 30 June" includes what was recorded on 30 June. A date-time (ISO, e.g.
 * 2021-07-01T09:00 or 2021-07-01T09:00:00+01:00; London time when it has no offset) is that
 * instant. Without --as-of: now, on the deployment's clock.
 */
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import { LONDON, londonDate } from '../core/calendar.js';
import { BragbotError } from '../core/errors.js';

export interface AsOf {
  /** The instant the plan is read at. */
  at: Date;
  /** Its London calendar date: overdue is counted to this day. */
  date: string;
  /** True when the user gave --as-of (a look back or ahead), false for "now". */
  given: boolean;
}

export function parseAsOf(value: string | undefined, clock: Clock): AsOf {
  if (value === undefined) {
    const at = clock();
    return { at, date: londonDate(at), given: false };
  }
  const text = value.trim();
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const day = uk ? `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}` : /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
  if (day !== null) {
    const end = DateTime.fromISO(day, { zone: LONDON });
    if (!end.isValid) throw invalid(value);
    const at = end.endOf('day').toJSDate();
    return { at, date: day, given: true };
  }
  const dt = DateTime.fromISO(text, { zone: LONDON, setZone: true });
  if (!dt.isValid) throw invalid(value);
  const at = dt.toJSDate();
  return { at, date: londonDate(at), given: true };
}

const invalid = (value: string) =>
  new BragbotError('INPUT_INVALID', `--as-of "${value}" is not a date: use YYYY-MM-DD (the end of that day in London), DD/MM/YYYY, or an ISO date-time such as 2021-07-01T09:00 (London time)`);
