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
 * How councils write RAG in words (issue 13). Keys are normalised with statusKey(). "Delayed" is
 * slipping (Amber), not off track; "Not Started" is not yet rated, and the importer keeps the word.
 */
export const STATUS_WORDS: Readonly<Record<string, Brag>> = {
  'on track': 'green', 'on target': 'green', 'on schedule': 'green', ontrack: 'green',
  'at risk': 'amber', slipping: 'amber', slippage: 'amber', delayed: 'amber', 'some slippage': 'amber', 'minor slippage': 'amber',
  'off track': 'red', 'off target': 'red', 'not on track': 'red', 'significantly delayed': 'red', 'significant slippage': 'red', offtrack: 'red',
  complete: 'blue', completed: 'blue', closed: 'blue', achieved: 'blue', done: 'blue', finished: 'blue', 'fully achieved': 'blue',
  'not started': 'unrated', 'not yet started': 'unrated', 'not due': 'unrated', 'not yet due': 'unrated', 'not rated': 'unrated', 'not yet rated': 'unrated',
};

/** "Green – on track", "AT RISK.", "Not-Started" → "green on track", "at risk", "not started". */
export const statusKey = (text: string): string =>
  text.toLowerCase().replace(/[\s\u00a0]+/g, ' ').replace(/[–—\-_/\\:;,.()[\]]+/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * Reads a BRAG cell as papers write it (`Green`, `RED`, `Amber`, `Blue`, blank).
 * Anything that is not one of the four words exactly (case aside) but maps by synonym, a status
 * word ("On Track", "At Risk", "Completed", "Not Started"), a colour with its meaning
 * ("Green – on track") or a combined rating ("Amber/Green": the worse one counts) is returned
 * with guessed=true so the importer can warn. `words` adds a council's own vocabulary (the
 * mapping file's "status" entries), keyed by statusKey().
 */
export function parseBrag(raw: string | null | undefined, words: Readonly<Record<string, Brag>> = {}): BragParse {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: true, brag: 'unrated', guessed: false };
  const lower = text.toLowerCase().replace(/[.\s]+$/g, '');
  if (lower === 'blue' || lower === 'red' || lower === 'amber' || lower === 'green') {
    return { ok: true, brag: lower, guessed: false };
  }
  const key = statusKey(text);
  const own = words[key];
  if (own) return { ok: true, brag: own, guessed: true };
  const direct = SYNONYMS[lower] ?? STATUS_WORDS[key];
  if (direct) return { ok: true, brag: direct, guessed: true };
  // "Amber/Green", "Red - Amber": a split rating; report the worse, as a chair would.
  // Every part must be a rating, so "n/a" is not read as "a" = Amber.
  const tokens = lower.split(/[\s/\\,-]+/).filter((w) => w !== '');
  const parts = tokens.map((p) => SYNONYMS[p]).filter((b): b is Brag => b !== undefined);
  if (parts.length > 1 && parts.length === tokens.length) {
    const worst = BRAG_ORDER.find((b) => parts.includes(b));
    if (worst) return { ok: true, brag: worst, guessed: true };
  }
  // "Green – on track", "Red (off track)": the colour word first, then what it means.
  const colour = /^(blue|red|amber|green)\b\s*[–—\-:(/,]/.exec(lower);
  if (colour) return { ok: true, brag: colour[1] as Brag, guessed: true };
  return { ok: false, reason: `"${text}" is not a BRAG status (Blue, Red, Amber, Green, a status such as "On Track" or "At Risk", or blank; a mapping file's "status" can name others)` };
}

/**
 * The BRAG a cell's fill colour shows (RRGGBB), for plans that colour the BRAG cell and write no
 * word. Greys and whites show nothing. Hue bands: red, amber (orange to yellow), green, blue.
 */
export function bragFromColour(hex: string): Brag | undefined {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) return undefined;
  const [r, g, b] = [m[1]!, m[2]!, m[3]!].map((x) => parseInt(x, 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const delta = max - min;
  if (delta < 0.15 || max < 0.2) return undefined;
  let hue = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  hue = (hue * 60 + 360) % 360;
  if (hue < 15 || hue >= 330) return 'red';
  if (hue < 70) return 'amber';
  if (hue < 170) return 'green';
  if (hue < 270) return 'blue';
  return undefined;
}
