/**
 * "Lead Agency and Lead Officer" cells hold agencies and, sometimes, a person:
 *   "Children's Social Care (Rose Howley)", "Children's Social Care, Dave Purcell",
 *   "Children's Social Care and Health and CAMHS".
 * We split out an officer only when the extra text looks like a person's name, and say so.
 */
export interface Lead {
  agency: string;
  officer: string;
  /** Set when the officer was read out of the agency text: the importer reports it. */
  guess?: string;
}

// Words that make a phrase an organisation rather than a person.
const ORG_WORD =
  /\b(care|service|services|team|health|council|police|partnership|partners|education|school|schools|board|group|trust|nhs|camhs|vsh|authority|department|unit|officer|manager|head|lead|director|social|rights|adult|children|corporate|housing|hub|panel|all|and)\b/i;
const PERSON = /^(?:(?:Dr|Mr|Mrs|Ms|Miss|Cllr)\.?\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}$/;

export const looksLikePersonName = (s: string): boolean => PERSON.test(s.trim()) && !ORG_WORD.test(s);

export function parseLead(raw: string): Lead {
  const text = raw.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  const bracket = /^(.*?)\s*\(([^)]+)\)\s*$/.exec(text);
  if (bracket) {
    const [, agency, inner] = bracket as unknown as [string, string, string];
    if (looksLikePersonName(inner)) {
      return { agency: agency.trim(), officer: inner.trim(), guess: `read "${inner.trim()}" as the lead officer of ${agency.trim()}` };
    }
  }
  const comma = text.lastIndexOf(',');
  if (comma > 0) {
    const agency = text.slice(0, comma).trim();
    const tail = text.slice(comma + 1).trim();
    if (looksLikePersonName(tail)) {
      return { agency, officer: tail, guess: `read "${tail}" as the lead officer of ${agency}` };
    }
  }
  if (looksLikePersonName(text)) return { agency: '', officer: text };
  return { agency: text, officer: '' };
}
