/**
 * The one table of limits on inbound text, enforced here, in the service, whatever the channel
 * (a chat form's max_length is a hint a forged payload ignores). A value over its limit is
 * refused with a sentence that says so, and nothing is written. docs/access.md lists them.
 *
 * Chosen for a real board paper: York's "Where are we now?" cells run to ~1,500 characters, a
 * team's section of a highlight report to a few thousand; a note to the chair is a paragraph.
 */

export const TEXT_LIMITS = {
  /** "Where are we now?": York's longest cells are ~1,500 characters. */
  progress: 4000,
  /** Evidence: figures, documents, links. */
  evidence: 4000,
  /** A note to the chair with an update. */
  note: 2000,
  /** A revised due date as typed ("31/03/2027", "Mar-27", "Ongoing"). */
  revisedDue: 40,
  /** A reply in an update thread: one team's section of the highlight report. */
  sectionReply: 6000,
  /** A command's arguments (`/brag 34 green …`, `highlight-report ops dd/mm/yyyy`). */
  command: 2500,
} as const;

export type LimitedField = keyof typeof TEXT_LIMITS;

export const FIELD_LABEL: Record<LimitedField, string> = {
  progress: 'Where are we now?',
  evidence: 'Evidence',
  note: 'The note',
  revisedDue: 'The revised date',
  sectionReply: 'Your update',
  command: 'That command',
};

const HOW_TO_SHORTEN: Record<LimitedField, string> = {
  progress: 'Shorten it (detail can go in Evidence or a linked document) and save again.',
  evidence: 'Shorten it (link a document for the detail) and save again.',
  note: 'Shorten it and save again.',
  revisedDue: 'Give a date such as 31/03/2027, a month (Mar-27) or Ongoing.',
  sectionReply: 'Shorten it (link a document for the detail) and post it again.',
  command: 'Shorten it and try again.',
};

/** Characters as people count them (code points: an emoji is one). */
export const lengthOf = (text: string): number => Array.from(text).length;

const n = (x: number): string => x.toLocaleString('en-GB');

/** The sentence for a value over its limit, or null when it fits. */
export function overLimit(field: LimitedField, value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  const length = lengthOf(value);
  const max = TEXT_LIMITS[field];
  if (length <= max) return null;
  return `${FIELD_LABEL[field]} is ${n(length)} characters; the most is ${n(max)}. ${HOW_TO_SHORTEN[field]}`;
}

/**
 * Said where a stored text is longer than a form can show in full (Slack pre-fills at most
 * 3,000 characters): it is left out of the form, kept unless a new one is typed, and this is
 * where it can be edited in full. One sentence, so every form says the same.
 */
export function omittedFromForm(field: 'progress' | 'evidence', length: number): string {
  return `${field === 'progress' ? 'Where are we now?' : 'Evidence'} is ${n(length)} characters, longer than this form can show, so it is not shown here and stays as it is unless you type a new one. To edit it in full, change it in the plan’s spreadsheet and re-import it, or ask your chair.`;
}
