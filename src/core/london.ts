// Kept for the adapters' imports: "today" in London is defined once, in calendar.ts.
export { londonDate } from './calendar.js';
