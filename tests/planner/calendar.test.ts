import { describe, expect, it } from 'vitest';
import { calendarFor, londonDate, WorkingCalendar } from '../../src/core/calendar.js';
import { DEFAULT_GROUP_SETTINGS, parseGroupSettings } from '../../src/core/settings.js';

const hours = { start: '09:00', end: '17:00' };

describe('UK working calendar', () => {
  it.each([
    ['2021-05-31', 'ENG', false, 'Spring bank holiday'],
    ['2021-05-31', 'SCT', false, 'Spring bank holiday'],
    ['2021-08-02', 'SCT', false, 'Summer bank holiday'],
    ['2021-08-02', 'ENG', true, null],
    ['2021-08-30', 'ENG', false, 'Summer bank holiday'],
    ['2021-08-30', 'SCT', true, null],
    ['2021-07-12', 'NIR', false, 'Battle of the Boyne (Orangemen’s Day)'],
    ['2021-07-12', 'WLS', true, null],
    ['2021-12-28', 'WLS', false, 'Boxing Day (substitute day)'],
    ['2021-06-06', 'ENG', false, null], // a Sunday: not a holiday, not a working day
  ] as const)('%s in %s: working=%s (%s)', (date, region, working, holiday) => {
    const cal = new WorkingCalendar(region);
    expect(cal.isWorkingDay(date)).toBe(working);
    expect(cal.bankHoliday(date)).toBe(holiday);
  });

  it('counts and steps working days over weekends and bank holidays', () => {
    const eng = calendarFor('ENG');
    expect(eng.workingDaysBetween('2021-05-28', '2021-06-01')).toBe(1); // Sat, Sun, Spring BH skipped
    expect(eng.workingDaysBetween('2021-06-01', '2021-05-28')).toBe(-1);
    expect(eng.addWorkingDays('2021-06-06', -1)).toBe('2021-06-04'); // the Friday before a Sunday
    expect(eng.addWorkingDays('2021-05-28', 1)).toBe('2021-06-01');
    expect(calendarFor('SCT').addWorkingDays('2021-07-30', 1)).toBe('2021-08-03');
    expect(eng.addWorkingDays('2021-07-30', 1)).toBe('2021-08-02');
  });

  it('counts working days between any two dates as stepping day by day does, within a year and across years', () => {
    const cal = new WorkingCalendar('SCT');
    const stepped = (from: string, to: string) => {
      let n = 0;
      for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) < to; ) {
        d = new Date(d.getTime() + 86_400_000);
        if (cal.isWorkingDay(d.toISOString().slice(0, 10))) n += 1;
      }
      return n;
    };
    // Alternating years, so the year looked at last is often not the one asked about.
    const pairs = [['2021-12-24', '2022-01-05'], ['2021-03-01', '2021-03-31'], ['2020-02-28', '2023-03-01'], ['2022-12-30', '2023-01-03'], ['2021-01-01', '2021-12-31'], ['2022-06-01', '2022-06-01'], ['2020-12-31', '2021-01-01']];
    for (const [from, to] of pairs) {
      expect(cal.workingDaysBetween(from!, to!), `${from} to ${to}`).toBe(stepped(from!, to!));
      expect(0 - cal.workingDaysBetween(to!, from!)).toBe(stepped(from!, to!));
    }
  });

  it.each([
    // [now (UTC instant), region, expected send time]: quiet hours across the clock changes
    ['2021-03-26T17:30:00Z', 'ENG', '2021-03-29T08:00:00.000Z'], // Friday after hours (GMT) -> Monday 09:00 BST
    ['2021-03-28T01:30:00Z', 'ENG', '2021-03-29T08:00:00.000Z'], // the hour that does not exist in London
    ['2021-03-29T07:30:00Z', 'ENG', '2021-03-29T08:00:00.000Z'], // 08:30 BST: wait till 09:00
    ['2021-10-29T16:30:00Z', 'ENG', '2021-11-01T09:00:00.000Z'], // Friday 17:30 BST -> Monday 09:00 GMT
    ['2021-10-31T01:30:00Z', 'ENG', '2021-11-01T09:00:00.000Z'], // during the repeated hour
    ['2021-07-01T08:00:00Z', 'ENG', '2021-07-01T08:00:00.000Z'], // 09:00 BST: now
    ['2021-07-01T15:59:00Z', 'ENG', '2021-07-01T15:59:00.000Z'], // 16:59 BST: still in hours
    ['2021-07-01T16:00:00Z', 'ENG', '2021-07-02T08:00:00.000Z'], // 17:00 BST: quiet
    ['2021-05-28T16:30:00Z', 'ENG', '2021-06-01T08:00:00.000Z'], // Friday before Spring BH -> Tuesday
    ['2021-08-02T09:00:00Z', 'SCT', '2021-08-03T08:00:00.000Z'], // Scottish summer bank holiday
    ['2021-08-02T09:00:00Z', 'ENG', '2021-08-02T09:00:00.000Z'], // an ordinary Monday in England
  ] as const)('a message planned at %s (%s) goes at %s', (now, region, expected) => {
    expect(calendarFor(region).nextSendTime(new Date(now), hours).toISOString()).toBe(expected);
  });

  it('takes the London date of an instant, not the UTC one', () => {
    expect(londonDate(new Date('2021-06-30T23:30:00Z'))).toBe('2021-07-01'); // 00:30 BST
    expect(londonDate(new Date('2021-12-31T23:30:00Z'))).toBe('2021-12-31'); // GMT
  });
});

describe('group settings', () => {
  it('defaults every field from {}', () => {
    expect(parseGroupSettings('{}')).toEqual({ settings: DEFAULT_GROUP_SETTINGS, problems: [] });
    expect(DEFAULT_GROUP_SETTINGS).toMatchObject({ region: 'ENG', workingHours: { start: '09:00', end: '17:00' }, overdueNudgeEveryWorkingDays: 5, digestWeekday: 'monday' });
  });

  it('keeps good fields and reports bad ones, falling back to their defaults', () => {
    const { settings, problems } = parseGroupSettings(JSON.stringify({ region: 'SCT', overdueNudgeEveryWorkingDays: 0, digestWeekday: 'sunday', workingHours: { start: '08:30' } }));
    expect(settings.region).toBe('SCT');
    expect(settings.workingHours).toEqual({ start: '08:30', end: '17:00' });
    expect(settings.overdueNudgeEveryWorkingDays).toBe(5);
    expect(settings.digestWeekday).toBe('monday');
    expect(problems.map((p) => p.split(':')[0])).toEqual(['overdueNudgeEveryWorkingDays', 'digestWeekday']);
  });

  it('survives settings that are not JSON', () => {
    const { settings, problems } = parseGroupSettings('{region: SCT');
    expect(settings).toEqual(DEFAULT_GROUP_SETTINGS);
    expect(problems).toHaveLength(1);
  });
});
