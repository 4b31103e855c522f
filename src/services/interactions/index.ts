/**
 * The inbound seam: what a click, a form, a command or a thread reply MEANS, decided once for
 * every channel (Slack, Teams, the web forms to come). Each function takes neutral input
 * ({ workspaceId, caller, channel, now, … the ids and values, idempotencyKey }) and returns a
 * neutral outcome: a discriminated union with the facts and a plain-text sentence (`text`);
 * `describe…(outcome, style)` writes the same sentence in a channel's markup. Adapters only
 * translate payloads into inputs and outcomes into Block Kit / Adaptive Cards.
 *
 * Every function authorises first (src/services/access.ts), before any lookup of a key, any
 * read of what to show and any write.
 */
export type { InteractionInput, Refused } from './types.js';
export { PLAIN, type Icon, type SentenceStyle } from './style.js';
export { describeRefusal } from './common.js';
export { FIELD_LABEL, lengthOf, omittedFromForm, overLimit, TEXT_LIMITS, type LimitedField } from './limits.js';
export { describeBragClick, recordBragClick, type BragClickInput, type BragClickOutcome, type SettableBrag, type ShownAction } from './brag-click.js';
export {
  checkProgress, describeProgress, openProgressForm, PROGRESS_FIELDS, submitProgress,
  type ProgressChanges, type ProgressField, type ProgressFormInput, type ProgressFormOutcome, type ProgressSubmitInput, type ProgressSubmitOutcome, type ProgressValues,
} from './progress.js';
export { describeSnooze, SNOOZE_DAYS, snoozeReminders, type SnoozeOutcome } from './snooze.js';
export { checkNotMine, describeHandBack, handBack, type HandBackOutcome, type NotMineCheck } from './not-mine.js';
export { actionDetails, myActions, visibleActions, type ActionList, type DetailsOutcome, type HistoryLine, type MyActionsOutcome } from './reads.js';
export { captureSection, describeSection, type SectionOutcome, type SectionReplyInput } from './sections.js';
export { describeQuickUpdate, parseQuickCommand, quickUpdate, type QuickCommand, type QuickUpdateInput, type QuickUpdateOutcome } from './quick-update.js';
export { chooseReportGroup, describeReportGroupChoice, exampleGroupOf, type ReportGroupChoice } from './report-group.js';
export { describeUpdateChange, describeUpdateWho, type HistoryUpdate } from './history-line.js';
