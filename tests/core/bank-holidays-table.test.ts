/**
 * The bank-holiday table generated at install time (scripts/generate-bank-holidays.mjs) says
 * exactly what date-holidays says, for every nation and year it holds, and a year outside it
 * still comes from date-holidays (loaded then). The table exists to keep date-holidays out of
 * every command's start-up (issue 16).
 */
import { describe, expect, it } from 'vitest';
import { calendarFor, holidaysFromLibrary, UK_REGIONS } from '../../src/core/calendar.js';
import { FIRST_YEAR, LAST_YEAR, UK_BANK_HOLIDAYS } from '../../src/core/generated/uk-bank-holidays.js';

describe('UK bank holidays table', () => {
  it('covers 2010-2045 and matches date-holidays for each nation and year', () => {
    expect([FIRST_YEAR, LAST_YEAR]).toEqual([2010, 2045]);
    for (const region of UK_REGIONS) {
      for (let year = FIRST_YEAR; year <= LAST_YEAR; year += 1) {
        expect(UK_BANK_HOLIDAYS[region]?.[year], `${region} ${year}`).toEqual(holidaysFromLibrary(region, year));
      }
    }
  });

  it('knows the one-off ones and the nations apart, and asks date-holidays for a year outside the table', () => {
    const eng = calendarFor('ENG');
    expect(eng.isWorkingDay('2022-09-19')).toBe(false); // the State Funeral of Queen Elizabeth II
    expect(eng.isWorkingDay('2023-05-08')).toBe(false); // the coronation bank holiday
    expect(calendarFor('SCT').isWorkingDay('2026-08-03')).toBe(false); // Scotland: first Monday of August
    expect(eng.isWorkingDay('2026-08-03')).toBe(true);
    expect(eng.isWorkingDay('2026-08-31')).toBe(false); // England: last Monday of August
    // 2050 is outside the table: Christmas Day is a Sunday, so the 27th is the substitute day.
    expect(eng.isWorkingDay('2050-12-27')).toBe(false);
    expect(eng.isWorkingDay('2050-12-28')).toBe(true);
  });
});
