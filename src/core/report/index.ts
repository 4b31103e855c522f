export * from './types.js';
export { assembleReport, emptyCounts, normaliseHeading, stateAt } from './assemble.js';
export { isSubheading, sectionKey, splitReplyHeading, type SplitReply } from './headings.js';
export { reportInputsHash, stableStringify } from './inputs-hash.js';
export { ReportSettingsSchema, reportSettingsFrom, sectionList, type GroupReportSettings } from './settings.js';
export * from './dates.js';
