import { describe, expect, it } from 'vitest';
import { calendarFor } from '../../src/core/calendar.js';
import { defaultMeeting, meetingCutOff, meetingsBetween, nthWeekdayOfMonth } from '../../src/core/meetings.js';

const eng = calendarFor('ENG');
const dates = (cadence: string, anchor: string, from: string, to: string, cal = eng) =>
  meetingsBetween({ cadence, cadenceAnchor: anchor, meetings: [] }, from, to, cal, 'next-working-day').map((m) => m.date);

describe('meeting cadence', () => {
  it('finds the nth weekday of a month, and "last" for a 5th', () => {
    expect(nthWeekdayOfMonth(2021, 2, 3, 2)).toBe('2021-02-10');
    expect(nthWeekdayOfMonth(2021, 6, 1, 5)).toBe('2021-06-28'); // June 2021 has four Mondays
    expect(nthWeekdayOfMonth(2021, 5, 1, 5)).toBe('2021-05-31');
  });

  it.each([
    ['monthly', ['2021-01-13', '2021-02-10', '2021-03-10', '2021-04-14', '2021-05-12', '2021-06-09', '2021-07-14']],
    ['bimonthly', ['2021-01-13', '2021-03-10', '2021-05-12', '2021-07-14']],
    ['quarterly', ['2021-01-13', '2021-04-14', '2021-07-14']],
    ['none', []],
  ])('%s from a second-Wednesday anchor keeps the second Wednesday', (cadence, expected) => {
    expect(dates(cadence, '2021-01-13', '2021-01-01', '2021-07-31')).toEqual(expected);
  });

  it('never schedules before the anchor', () => {
    expect(dates('monthly', '2021-03-10', '2021-01-01', '2021-04-30')).toEqual(['2021-03-10', '2021-04-14']);
  });

  it('moves a cadence meeting off a bank holiday to the next working day, and says so', () => {
    // "First Monday": 3 May 2021 is the Early May bank holiday.
    const m = meetingsBetween({ cadence: 'monthly', cadenceAnchor: '2021-05-03', meetings: [] }, '2021-05-01', '2021-08-31', eng, 'next-working-day');
    expect(m.map((x) => x.date)).toEqual(['2021-05-04', '2021-06-07', '2021-07-05', '2021-08-02']);
    expect(m[0]).toEqual({ date: '2021-05-04', source: 'cadence', movedFrom: '2021-05-03', bankHoliday: 'Early May bank holiday' });
    // In Scotland 2 August is the summer bank holiday; in England it is not.
    expect(dates('monthly', '2021-05-03', '2021-08-01', '2021-08-31', calendarFor('SCT'))).toEqual(['2021-08-03']);
  });

  it('a "last Monday" cadence dodges the Spring and Summer bank holidays', () => {
    expect(dates('monthly', '2021-05-31', '2021-05-01', '2021-09-30')).toEqual(['2021-06-01', '2021-06-28', '2021-07-26', '2021-08-31', '2021-09-27']);
    const back = meetingsBetween({ cadence: 'monthly', cadenceAnchor: '2021-05-31', meetings: [] }, '2021-08-01', '2021-08-31', eng, 'previous-working-day');
    expect(back.map((x) => x.date)).toEqual(['2021-08-27']);
  });

  it('explicit meetings replace their month’s cadence meeting; cancelled ones remove it; a bank-holiday date is kept as decided', () => {
    const m = meetingsBetween(
      {
        cadence: 'monthly',
        cadenceAnchor: '2021-05-31',
        meetings: [
          { date: '2021-07-26', cancelled: true },
          { date: '2021-08-25', cancelled: false, title: 'Moved for the summer' },
          { date: '2021-12-27', cancelled: false },
        ],
      },
      '2021-07-01',
      '2021-12-31',
      eng,
      'next-working-day',
    );
    expect(m.map((x) => [x.date, x.source])).toEqual([
      ['2021-08-25', 'explicit'],
      ['2021-09-27', 'cadence'],
      ['2021-10-25', 'cadence'],
      ['2021-11-29', 'cadence'],
      ['2021-12-27', 'explicit'],
    ]);
    expect(m.at(-1)?.bankHoliday).toBe('Christmas Day (substitute day)');
  });
});

describe('the default meeting and a meeting cut-off', () => {
  const quarterly = { cadence: 'quarterly', cadenceAnchor: '2021-01-13', meetings: [{ date: '2021-01-13', cancelled: false }] };
  it('is the next meeting on or after today, cadence or recorded, else the most recent one', () => {
    expect(defaultMeeting(quarterly, '2021-07-20', eng, 'next-working-day')?.date).toBe('2021-10-13');
    expect(defaultMeeting(quarterly, '2021-10-13', eng, 'next-working-day')?.date).toBe('2021-10-13');
    const past = { cadence: 'none', cadenceAnchor: null, meetings: [{ date: '2021-02-10', cancelled: false }, { date: '2021-03-10', cancelled: false }, { date: '2021-04-14', cancelled: true }] };
    expect(defaultMeeting(past, '2021-07-20', eng, 'next-working-day')?.date).toBe('2021-03-10');
    expect(defaultMeeting({ cadence: 'none', cadenceAnchor: null, meetings: [] }, '2021-07-20', eng, 'next-working-day')).toBeNull();
  });

  it('is the end (London) of the working day before the meeting by default, bank holidays skipped', () => {
    expect(meetingCutOff('2021-03-10', eng, 1).toISOString()).toBe('2021-03-09T23:59:59.999Z');
    // Tuesday 6 April 2021: the working day before is Thursday 1 April (Good Friday, Easter Monday); BST.
    expect(meetingCutOff('2021-04-06', eng, 1).toISOString()).toBe('2021-04-01T22:59:59.999Z');
    expect(meetingCutOff('2021-07-14', eng, 0).toISOString()).toBe('2021-07-14T22:59:59.999Z');
  });
});
