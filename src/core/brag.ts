/**
 * BRAG: Blue = complete/achieved, Red = off track, Amber = at risk, Green = on track.
 * Blank means "not yet rated", which is a status of its own, not an error.
 */
export const BRAGS = ['blue', 'red', 'amber', 'green', 'unrated'] as const;
export type Brag = (typeof BRAGS)[number];

export const BRAG_LABEL: Record<Brag, string> = {
  blue: 'Blue',
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  unrated: 'Not rated',
};

/** Meaning printed beside the colour everywhere: colour is never the only signal (accessibility). */
export const BRAG_MEANING: Record<Brag, string> = {
  blue: 'complete',
  red: 'off track',
  amber: 'at risk',
  green: 'on track',
  unrated: 'not yet rated',
};

/** Report order: what needs attention first. */
export const BRAG_ORDER: readonly Brag[] = ['red', 'amber', 'green', 'blue', 'unrated'];

export const isBrag = (v: unknown): v is Brag => typeof v === 'string' && (BRAGS as readonly string[]).includes(v);

export type BragParse =
  | { ok: true; brag: Brag; guessed: boolean }
  | { ok: false; reason: string };

const SYNONYMS: Record<string, Brag> = {
  b: 'blue', blue: 'blue', complete: 'blue', completed: 'blue', achieved: 'blue', done: 'blue',
  r: 'red', red: 'red',
  a: 'amber', amber: 'amber', orange: 'amber', yellow: 'amber',
  g: 'green', green: 'green',
};

/**
 * Reads a BRAG cell as papers write it (`Green`, `RED`, `Amber`, `Blue`, blank).
 * Anything that is not one of the four words exactly (case aside) but maps by synonym or a
 * combined rating ("Amber/Green": the worse one counts) is returned with guessed=true so the
 * importer can warn.
 */
export function parseBrag(raw: string | null | undefined): BragParse {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true, brag: 'unrated', guessed: false };
  const lower = text.toLowerCase().replace(/[.\s]+$/g, '');
  if (lower === 'blue' || lower === 'red' || lower === 'amber' || lower === 'green') {
    return { ok: true, brag: lower, guessed: false };
  }
  const direct = SYNONYMS[lower];
  if (direct) return { ok: true, brag: direct, guessed: true };
  // "Amber/Green", "Red - Amber": a split rating; report the worse, as a chair would.
  // Every part must be a rating, so "n/a" is not read as "a" = Amber.
  const words = lower.split(/[\s/\\,-]+/).filter((w) => w !== '');
  const parts = words.map((p) => SYNONYMS[p]).filter((b): b is Brag => b !== undefined);
  if (parts.length > 1 && parts.length === words.length) {
    const worst = BRAG_ORDER.find((b) => parts.includes(b));
    if (worst) return { ok: true, brag: worst, guessed: true };
  }
  return { ok: false, reason: `"${text}" is not a BRAG status (Blue, Red, Amber, Green or blank)` };
}
