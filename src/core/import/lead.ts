/**
 * Lead cells hold agencies, people, or both:
 *   "Children's Social Care (Rose Howley)", "Children's Social Care, Dave Purcell",
 *   "Children's Social Care and Health and CAMHS", and in a "Responsible Officer" column
 *   "Mark O'Neill", "Dr Sarah Smith-Jones", "Cllr J. Patel", "Mark Jones and Sue Smith".
 * A person becomes an owner; anything else stays the lead agency. Nothing is ever dropped, and
 * every read that could be wrong comes back as a guess for the importer to report.
 */
export interface Lead {
  agency: string;
  /** The people named, in the order written (several owners share one action). */
  officers: string[];
  /** officers joined with ", " (the stored leadOfficer). */
  officer: string;
  /** Set when something was read that could be wrong: the importer reports it. */
  guess?: string;
}

/** What a lead column is expected to hold, from its header. */
export type LeadColumnKind = 'officer' | 'agency' | 'both';

export function leadColumnKind(header: string): LeadColumnKind {
  const h = header.toLowerCase();
  const person = /\b(officer|officers|owner|owners|person|people|responsible|named|contact|name)\b/.test(h);
  const agency = /\b(agency|agencies|organisation|organization|service|team|partner|department)\b/.test(h);
  if (person && !agency) return 'officer';
  if (agency && !person) return 'agency';
  return 'both';
}

// Words that make a phrase an organisation or a role rather than a person.
const ORG_WORD =
  /\b(care|service|services|team|teams|health|council|police|partnership|partners|education|school|schools|board|group|trust|nhs|camhs|vsh|iro|iros|authority|department|unit|officer|officers|manager|managers|head|lead|leads|director|directorate|social|rights|adult|adults|children|childrens|corporate|housing|hub|panel|all|assurance|quality|safeguarding|review|reviewing|improvement|performance|commissioning|strategy|strategic|virtual|leaving|fostering|adoption|permanence|pathway|youth|justice|probation|residential|placements|placement|independent|participation|voice|early|help|family|families|support|practice|workforce|development|learning|business|intelligence|finance|legal|communications|public|commissioner|coordinator|co-ordinator|advisor|adviser|worker|workers|practitioner|practitioners|chair|members|member|elected|college|university|academy|centre|center|clinic|hospital|ccg|icb|ics|cyp|send|sen|senco|ofsted|dwp|ltd|limited|cic|charity|network|forum|project|programme|office|committee|operational|designated|nurse|gp|mental|wellbeing|employment|skills|training|leisure|culture|transport|planning|county|city|borough|district|region|regional|local|national|and|of|the|for)\b/i;
const TITLE = String.raw`(?:Dr|Mr|Mrs|Ms|Miss|Mx|Cllr|Councillor|Prof|Professor|Sir|Dame|Rev|Revd|Reverend)\.?`;
const INITIALS = String.raw`(?:\p{Lu}\.\s?){1,3}|\p{Lu}(?=\s)`;
// O'Neill, O’Neill, D'Arcy, McDonald, MacLeod, Smith-Jones.
const SURNAME = String.raw`(?:\p{Lu}['’])?\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-(?:\p{Lu}['’])?\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?)*`;
const PARTICLE = String.raw`(?:van|von|de|da|der|den|del|du|di|la|le|st\.?)`;
// Forenames take the same shapes (D'Arcy, Mary-Jane).
const FORENAME = SURNAME;
const PERSON = new RegExp(
  String.raw`^(?:(?:${TITLE})\s+)?(?:(?:${FORENAME}|${INITIALS})\s*){1,3}\s(?:${PARTICLE}\s+){0,2}${SURNAME}$|^(?:${TITLE})\s+(?:${INITIALS}\s*)?${SURNAME}$`,
  'u',
);
/** "MARK JONES", "mark jones": name-shaped but written oddly. */
const NAMEISH = /^(?:\p{L}+['’-]?\p{L}*\.?\s+){1,2}\p{L}+(?:['’-]\p{L}+)*$/u;
const FORENAME_ONLY = /^\p{Lu}\p{Ll}+$/u;

export type NameVerdict = 'person' | 'organisation' | 'uncertain';

/** Is this (one name, no list) a person? 'uncertain' when it is name-shaped but not for sure. */
export function classifyName(raw: string): NameVerdict {
  const s = raw.replace(/\s+/g, ' ').trim().replace(/\.$/, (m) => (/\b\p{Lu}\.$/u.test(raw.trim()) ? m : ''));
  if (s === '') return 'organisation';
  const withoutTitle = s.replace(new RegExp(`^${TITLE}\\s+`, 'u'), '');
  const titled = withoutTitle !== s;
  const orgWords = withoutTitle.split(/\s+/).filter((w) => ORG_WORD.test(w)).length;
  const org = orgWords > 0 || /^[A-Z0-9&]{2,8}$/.test(s) || /\d/.test(s);
  // "Sarah Head" may be a person; "Virtual School Head" is not.
  if (PERSON.test(s)) return orgWords === 0 || titled ? 'person' : orgWords === 1 && !ORG_WORD.test(withoutTitle.split(/\s+/)[0]!) ? 'uncertain' : 'organisation';
  if (org) return 'organisation';
  if (NAMEISH.test(s) || FORENAME_ONLY.test(s)) return 'uncertain';
  return 'organisation';
}

export const looksLikePersonName = (s: string): boolean => classifyName(s) === 'person';

/** Splits "Mark Jones and Sue Smith", "A Patel / B Khan", "Mark Jones; Sue Smith" into names. */
function splitNames(text: string): string[] {
  return text.split(/\s*(?:;|\/|&|\band\b|,|\n)\s*/).map((p) => p.trim()).filter((p) => p !== '');
}

const join = (names: string[]) => names.join(', ');
const quoteList = (names: string[]) => names.map((n) => `"${n}"`).join(' and ');

function lead(agency: string, officers: string[], guess?: string): Lead {
  return { agency, officers, officer: join(officers), ...(guess ? { guess } : {}) };
}

export function parseLead(raw: string, kind: LeadColumnKind = 'both'): Lead {
  const text = raw.replace(/\s+/g, ' ').trim().replace(/\.$/, (m) => (/\b\p{Lu}\.$/u.test(raw.trim()) ? m : ''));
  if (text === '') return lead('', []);

  // "Agency (Person)" or "Person (Role)".
  const bracket = /^(.*?)\s*\(([^)]+)\)\s*$/.exec(text);
  if (bracket) {
    const [, outer, inner] = bracket as unknown as [string, string, string];
    const innerNames = splitNames(inner);
    if (outer.trim() !== '' && innerNames.length > 0 && innerNames.every((n) => classifyName(n) === 'person')) {
      return lead(outer.trim(), innerNames, `read ${quoteList(innerNames)} as the lead officer of ${outer.trim()}`);
    }
    if (classifyName(outer) === 'person' && classifyName(inner) !== 'person') {
      return lead(inner.trim(), [outer.trim()], `read "${outer.trim()}" as the lead officer, "${inner.trim()}" as the agency`);
    }
  }

  const names = splitNames(text);
  const verdicts = names.map(classifyName);
  // Everyone named is a person: "Mark O'Neill", "Mark Jones and Sue Smith".
  if (verdicts.every((v) => v === 'person')) return lead('', names);

  // "Agency, Person": people after the agency, as York writes them (a trailing run of names).
  let firstPerson = verdicts.length;
  while (firstPerson > 0 && verdicts[firstPerson - 1] === 'person') firstPerson -= 1;
  if (firstPerson > 0 && firstPerson < verdicts.length) {
    const people = names.slice(firstPerson);
    // The agency keeps its own words as written: everything before the first name.
    const at = text.indexOf(people[0]!);
    const agency = text.slice(0, at).replace(/[\s,;/&]+$/, '').replace(/\s+and$/i, '').trim();
    if (agency !== '' && verdicts.slice(0, firstPerson).every((v) => v === 'organisation')) {
      return lead(agency, people, `read ${quoteList(people)} as the lead officer of ${agency}`);
    }
  }

  if (verdicts.every((v) => v !== 'organisation')) {
    // Name-shaped but not certain ("MARK JONES", "Mark"). In a column for people it is a person.
    if (kind === 'officer') return lead('', names, `read ${quoteList(names)} as ${names.length === 1 ? "a person's name" : "people's names"}, though it does not look like one for certain: check it`);
    return lead(text, [], `kept "${text}" as the lead agency: if it names a person, write their full name (e.g. "Mark Jones")`);
  }
  if (kind === 'officer') {
    return lead(text, [], `"${text}" does not look like a person's name: kept as the lead agency, with no owner`);
  }
  return lead(text, []);
}
