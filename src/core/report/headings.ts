/**
 * Headings in a lead's reply, as leads write them in the papers (seed 003): the first line names
 * the section ("Court Team Update:", "*Fostering Service*", or a line on its own such as
 * "Fostering Panel"), and short lines ending in a colon inside the text ("Placement
 * sufficiency:", "Recruitment:") are sub-headings. Pure: capture (services/threads.ts),
 * assembly and every renderer use the same rules, so a heading is never printed twice.
 */

/** "Leaving Care Service Update:" and "leaving care service update" are one heading. */
export function normaliseHeading(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim().replace(/\s*:$/, '');
}

/**
 * The key two headings share when they name the same section: case, spacing, a trailing colon,
 * a leading "The" and a trailing "Update" do not count, so a reply headed "Court Team Update"
 * lands where the group's order says "Court Team", and "Court Team:" joins it.
 */
export function sectionKey(raw: string): string {
  const key = normaliseHeading(raw)
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/^the\s+/, '')
    .replace(/\s+update$/, '')
    .replace(/\s*[.:;–—-]+\s*$/, '')
    .trim();
  return key === '' ? normaliseHeading(raw).toLowerCase() : key;
}

/** Openings that start a message, not a section: "Hi all", "Quick update", "Thanks". */
const NOT_A_HEADING = /^(?:hi|hiya|hello|dear|morning|afternoon|evening|good (?:morning|afternoon|evening)|thanks|thank you|many thanks|cheers|fyi|quick update|update|updates|apologies|sorry|please)\b/i;

const BOLD_LINE = /^\s*(?:\*\*|\*|__|_)(.+?)(?:\*\*|\*|__|_)\s*:?\s*$/;
const COLON_LINE = /^\s*([^.!?]{3,80}):\s*$/;

/**
 * A first line standing alone, with no colon and no bold: "Fostering Panel". Short, no
 * sentence punctuation, a capital first, a blank line after it, and not a greeting. A line that
 * names the person's team or one of the group's sections is a heading even without the blank line.
 */
function isBareHeading(first: string, blankAfter: boolean, known: Set<string>): boolean {
  const line = first.trim();
  if (line.length < 3 || line.length > 80) return false;
  if (known.has(sectionKey(line))) return true;
  if (!blankAfter) return false;
  if (/[.!?,;:]$/.test(line) || NOT_A_HEADING.test(line)) return false;
  if (!/^[A-Z0-9‘“"'(]/.test(line)) return false;
  return line.split(/\s+/).length <= 12;
}

export interface SplitReply {
  /** The section the reply is for: its own heading, else the person's team, else their name. */
  section: string;
  /** The reply without its heading line. */
  body: string;
  /** Whether the reply named its section itself (false: filed under the team or the name). */
  headed: boolean;
}

/**
 * A reply's section heading: a first line in bold, ending with a colon, or standing alone
 * ("Fostering Panel") names the section; otherwise the person's team; otherwise their name.
 * `knownSections` are the group's configured section names (report.sections).
 */
export function splitReplyHeading(
  text: string,
  team: string | null | undefined,
  authorName: string,
  knownSections: readonly string[] = [],
): SplitReply {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const [first = '', ...rest] = lines;
  const body = rest.join('\n').trim();
  if (body !== '') {
    const bold = BOLD_LINE.exec(first)?.[1];
    const colon = COLON_LINE.exec(first)?.[1];
    const known = new Set([...knownSections, ...(team ? [team] : [])].map(sectionKey));
    const bare = !bold && !colon && isBareHeading(first, (rest[0] ?? '').trim() === '', known) ? first : undefined;
    const heading = (bold ?? colon ?? bare)?.trim();
    if (heading) return { section: normaliseHeading(heading), body, headed: true };
  }
  return { section: team?.trim() || authorName, body: text.trim(), headed: false };
}

/**
 * A paragraph that is a sub-heading inside a section: one short line ending with a colon
 * ("Placement sufficiency:", "Education, Training and Employment (ETE):"). A sentence that
 * leads into a list ("At the 1st January 2021 we have 118 approved foster carer households:")
 * is longer and stays a paragraph.
 */
export function isSubheading(paragraph: string): boolean {
  const line = paragraph.trim();
  if (line.includes('\n') || !line.endsWith(':')) return false;
  const words = line.slice(0, -1).trim().split(/\s+/);
  if (words.length === 0 || words.length > 7 || line.length > 70) return false;
  // Starts like a heading (a capital or a figure), and has no sentence inside it.
  return /^[A-Z0-9‘“"'(]/.test(line) && !/[.!?;]\s/.test(line);
}
