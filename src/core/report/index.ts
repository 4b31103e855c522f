export * from './types.js';
export { assembleReport, emptyCounts, normaliseHeading, stateAt } from './assemble.js';
export { reportInputsHash, stableStringify } from './inputs-hash.js';
export { reportSettingsFrom, type GroupReportSettings } from './settings.js';
export * from './dates.js';
