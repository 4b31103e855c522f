export const FIRST_YEAR: number;
export const LAST_YEAR: number;
export const REGIONS: string[];
export function holidaysFromLibrary(Holidays: unknown, region: string, year: number): [string, string][];
export function generateBankHolidays(outFile?: string): string;
