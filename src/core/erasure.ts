/**
 * Erasure (issue 18 pt 4), the pure part: what an erased person is called from then on, and how
 * their name is taken out of stored text. Numbers are per workspace, in the order people were
 * erased, so "Former officer 12" is the same person in every history, report and message.
 */

export const formerOfficer = (n: number): string => `Former officer ${n}`;

/** The next number after those already given (none given: 1). */
export const nextFormerNumber = (given: readonly (number | null)[]): number => Math.max(0, ...given.filter((n): n is number => n !== null)) + 1;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with every whole-word occurrence of `name` replaced by `pseudonym` (case as written:
 * "Olu Owner", not "olu owner" inside a longer word). Names shorter than 3 characters are left
 * alone: replacing "Jo" everywhere would mangle other words.
 */
export function replaceName(text: string, name: string, pseudonym: string): string {
  const n = name.trim();
  if (n.length < 3) return text;
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(n)}(?![\\p{L}\\p{N}])`, 'gu'), pseudonym);
}

/** The same inside a JSON document: names are matched as JSON wrote them (escaped quotes, unicode). */
export function replaceNameInJson(json: string, name: string, pseudonym: string): string {
  const esc = (s: string) => JSON.stringify(s).slice(1, -1);
  return replaceName(json, esc(name), esc(pseudonym));
}
