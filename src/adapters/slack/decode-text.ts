/**
 * Slack's text encoding, undone once on the way in, so what reaches a section, a note or a
 * report is what the person meant. Slack sends `&`, `<`, `>` as `&amp;` `&lt;` `&gt;` and writes
 * its own references inside angle brackets (docs.slack.dev, "Formatting text for app surfaces"):
 *
 *   <@U123> / <@U123|name>        a person          → their name (bragbot's, else Slack's label, else "someone")
 *   <#C123|name> / <#C123>        a channel         → "#name", else "a channel"
 *   <!here> <!channel> <!everyone>                  → "@here" …
 *   <!subteam^S123|@team>         a user group      → "@team", else "a user group"
 *   <!date^1392734382^{date}|Feb 18, 2014>          → the fallback text
 *   <https://x|label> / <https://x>  a link         → "label (https://x)" / "https://x"
 *
 * Never a raw member or channel id in the paper. Anything else in angle brackets cannot have
 * come from Slack's encoder (a literal "<" is always sent as "&lt;"), so it is kept as written.
 * Pure: who a member id is comes from `nameOf`.
 */

/** A member id's display name, if known. */
export type NameOf = (slackUserId: string) => string | undefined;

const ENTITY = /&(amp|lt|gt);/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
/** Slack only ever encodes these three; one pass, so "&amp;lt;" stays "&lt;" as typed. */
export const decodeEntities = (s: string): string => s.replace(ENTITY, (_m, name: string) => ENTITIES[name] ?? _m);

const SPECIAL: Record<string, string> = { here: '@here', channel: '@channel', everyone: '@everyone' };
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The member ids mentioned in a text, to look their names up in one query. */
export function mentionedUserIds(text: string): string[] {
  const ids = new Set<string>();
  for (const m of text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)) ids.add(m[1]!);
  return [...ids];
}

function reference(inner: string, nameOf: NameOf): string | null {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? '' : decodeEntities(inner.slice(bar + 1)).trim();
  if (target.startsWith('@')) return nameOf(target.slice(1)) ?? (label.replace(/^@/, '') || 'someone');
  if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : 'a channel';
  if (target.startsWith('!')) {
    const [kind = '', ...rest] = target.slice(1).split('^');
    if (kind in SPECIAL) return SPECIAL[kind]!;
    if (kind === 'subteam') return label ? `@${label.replace(/^@/, '')}` : 'a user group';
    if (kind === 'date') return label || dateFallback(rest[0]);
    return label || null;
  }
  if (SCHEME.test(target)) {
    const url = decodeEntities(target);
    const plainUrl = url.replace(/^mailto:/i, '');
    if (!label || label === url || label === plainUrl || `http://${label}` === url || `https://${label}` === url) return plainUrl;
    return `${label} (${plainUrl})`;
  }
  return null;
}

/** `<!date^…>` without fallback text: the day, UK style, from its epoch seconds. */
function dateFallback(epoch: string | undefined): string {
  const seconds = Number(epoch);
  if (!Number.isFinite(seconds) || epoch === undefined || epoch === '') return 'a date';
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(seconds * 1000));
}

/** Slack-encoded text (message, command, modal field) as plain text. */
export function decodeSlackText(text: string, nameOf: NameOf = () => undefined): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/<([^<>\n]*)>/g)) {
    const decoded = reference(m[1]!, nameOf);
    out += decodeEntities(text.slice(last, m.index)) + (decoded ?? decodeEntities(m[0]));
    last = m.index + m[0].length;
  }
  return out + decodeEntities(text.slice(last));
}
