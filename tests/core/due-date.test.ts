import { describe, expect, it } from 'vitest';
import { parseDueDate } from '../../src/core/due-date.js';
import { isOverdue } from '../../src/core/overdue.js';

describe('parseDueDate: UK day-first, as councils write them', () => {
  it.each([
    ['30/06/21', 'date', '2021-06-30', false],
    ['03/09/21', 'date', '2021-09-03', false], // 3 September, never 9 March
    ['31/07//2021', 'date', '2021-07-31', true], // doubled slash repaired, and reported
    ['31/12//2021', 'date', '2021-12-31', true],
    ['30/12/2021', 'date', '2021-12-30', false],
    ['1.4.2022', 'date', '2022-04-01', false],
    ['2021-06-30', 'date', '2021-06-30', false],
    ['30 June 2021', 'date', '2021-06-30', false],
    ['Jan-22', 'month', '2022-01-31', true],
    ['Feb 2024', 'month', '2024-02-29', true], // leap year month end
    ['September 2021', 'month', '2021-09-30', true],
    ['Ongoing', 'ongoing', null, false],
    ['on-going', 'ongoing', null, false],
    ['Monthly', 'ongoing', null, true],
    ['', 'unknown', null, false],
    ['TBC', 'unknown', null, true],
    ['By end Oct 2020 100% of children', 'month', '2020-10-31', true],
  ] as const)('%s → %s %s', (raw, kind, date, guessed) => {
    const r = parseDueDate(raw);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.due).toEqual({ kind, date, raw });
    expect(r.guess !== undefined).toBe(guessed);
  });

  it.each(['31/13/2021', '30/02/2021', '00/01/2021', '32/01/21'])('refuses the impossible date %s', (raw) => {
    const r = parseDueDate(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(raw);
  });
});

describe('isOverdue (DOMAIN.md): due date passed and not Blue', () => {
  it.each([
    [{ kind: 'date', date: '2021-06-30' }, 'green', '2021-07-01', true],
    [{ kind: 'date', date: '2021-06-30' }, 'green', '2021-06-30', false], // due today is not yet overdue
    [{ kind: 'date', date: '2021-06-30' }, 'blue', '2021-09-01', false],
    [{ kind: 'date', date: '2021-06-30' }, 'unrated', '2021-07-01', true],
    [{ kind: 'month', date: '2022-01-31' }, 'amber', '2022-01-15', false], // "Jan-22" runs to the end of January
    [{ kind: 'month', date: '2022-01-31' }, 'amber', '2022-02-01', true],
    [{ kind: 'ongoing', date: null }, 'red', '2030-01-01', false],
    [{ kind: 'unknown', date: null }, 'red', '2030-01-01', false],
  ] as const)('%j %s on %s → %s', (due, brag, today, expected) => {
    expect(isOverdue({ brag, dueKind: due.kind, dueDate: due.date }, today)).toBe(expected);
  });
});
