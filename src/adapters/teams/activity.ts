/**
 * Reading Teams activities: who sent it, where, whether the bot was @mentioned, and the text as
 * the person wrote it. Loose shapes on purpose: recorded fixtures, the Playground and real Teams
 * differ in which optional fields they fill, and nothing here may throw on a missing one.
 */

export interface LooseAccount {
  id?: string | undefined;
  name?: string | undefined;
  aadObjectId?: string | undefined;
  /** Some activities name the account's own tenant (TeamsChannelAccount.tenantId). */
  tenantId?: string | undefined;
}

export interface LooseActivity {
  type?: string;
  id?: string;
  name?: string;
  text?: string;
  textFormat?: string;
  replyToId?: string;
  serviceUrl?: string;
  locale?: string;
  channelId?: string;
  timestamp?: string | Date;
  from?: LooseAccount;
  recipient?: LooseAccount;
  conversation?: { id?: string; conversationType?: string; tenantId?: string; isGroup?: boolean; name?: string };
  entities?: { type?: string; mentioned?: LooseAccount; text?: string }[];
  attachments?: { contentType?: string; content?: unknown }[];
  channelData?: {
    tenant?: { id?: string };
    team?: { id?: string; name?: string; aadGroupId?: string };
    channel?: { id?: string; name?: string };
    eventType?: string;
    [k: string]: unknown;
  };
  value?: unknown;
  membersAdded?: LooseAccount[];
  membersRemoved?: LooseAccount[];
  action?: string;
}

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export interface Actor {
  /** The id bragbot matches Person.teamsUserId against first: the AAD object id, else the Teams user id. */
  userId: string;
  /** Teams' own user id (29:… in Teams, user-id-0 in the Playground). */
  teamsId: string;
  aadObjectId?: string | undefined;
  displayName?: string | undefined;
  /** The tenant the conversation is hosted in (ours; `conversation.tenantId`). */
  tenantId?: string | undefined;
  /**
   * The tenant the user is signed in to: in a shared channel, a partner's own (an external member,
   * tests/fixtures/teams/README.md); elsewhere the same as `tenantId`. Lower case.
   */
  userTenantId?: string | undefined;
}

export function actorOf(activity: LooseActivity): Actor | null {
  const teamsId = activity.from?.id;
  if (!teamsId) return null;
  const aad = activity.from?.aadObjectId || undefined;
  return {
    userId: aad ?? teamsId,
    teamsId,
    aadObjectId: aad,
    displayName: activity.from?.name || undefined,
    tenantId: tenantOf(activity),
    userTenantId: userTenantOf(activity),
  };
}

/**
 * The sender's own tenant: the account's `tenantId` when Teams gives one, else the activity's
 * `channelData.tenant.id` (an external member's home tenant in a shared channel), else the host's.
 */
export function userTenantOf(activity: LooseActivity): string | undefined {
  const t = activity.from?.tenantId || activity.channelData?.tenant?.id || activity.conversation?.tenantId;
  return t ? t.toLowerCase() : undefined;
}

export function tenantOf(activity: LooseActivity): string | undefined {
  return activity.conversation?.tenantId || activity.channelData?.tenant?.id || undefined;
}

export function conversationKind(activity: LooseActivity): ConversationKind {
  const t = activity.conversation?.conversationType;
  if (t === 'channel') return 'channel';
  if (t === 'groupChat') return 'groupChat';
  if (t === 'personal') return 'personal';
  return activity.conversation?.isGroup ? 'groupChat' : 'personal';
}

/**
 * A channel reply's conversation id carries its thread: `19:…@thread.tacv2;messageid=<root id>`.
 * Returns the channel's own id and the root message id (the update thread's threadId).
 */
export function splitThreadId(conversationId: string): { base: string; rootId?: string } {
  const m = /^(.*?);messageid=([^;]+)$/i.exec(conversationId);
  return m ? { base: m[1]!, rootId: m[2]! } : { base: conversationId };
}

/** A channel post (root or reply) addressed to a thread: what `app.send` and the connector expect. */
export const threadedConversationId = (base: string, rootId: string): string => `${splitThreadId(base).base};messageid=${rootId}`;

export function mentionsBot(activity: LooseActivity): boolean {
  const botId = activity.recipient?.id;
  if (!botId) return false;
  return (activity.entities ?? []).some((e) => e.type === 'mention' && e.mentioned?.id === botId);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#') && lower !== '#39') return String.fromCodePoint(Number(lower.slice(1)));
    return ENTITIES[lower] ?? whole;
  });
}

/** Back to HTML text, so the one decoding pass at the end of htmlToText yields it exactly once. */
const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Teams delivers formatted messages as HTML (`<p><strong>Fostering Service</strong></p><p>…`).
 * A lead's reply becomes report text, so keep what they meant: paragraphs and line breaks as
 * newlines, bold as **…** (the first-line heading rule in services/threads.ts reads it), list
 * items as "- ", everything else as plain text.
 */
export function htmlToText(html: string): string {
  let s = html.replace(/\r\n?/g, '\n');
  s = s.replace(/<at[^>]*>(.*?)<\/at>/gi, '$1');
  // A mention in the HTML attachment: <span itemtype="http://schema.skype.com/Mention" …>Jo Demo</span>.
  s = s.replace(/<span[^>]*itemtype="http:\/\/schema\.skype\.com\/Mention"[^>]*>(.*?)<\/span>/gis, '$1');
  // A link keeps its address, as the Slack decoder does: "label (https://…)".
  s = s.replace(/<a\s[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gis, (_m, href: string, inner: string) => {
    const url = decodeEntities(href);
    const label = decodeEntities(inner.replace(/<[^>]+>/g, '')).trim();
    const plain = url.replace(/^mailto:/i, '');
    return !label || label === url || label === plain ? escapeText(plain) : escapeText(`${label} (${plain})`);
  });
  s = s.replace(/<(strong|b)(\s[^>]*)?>(.*?)<\/\1>/gis, (_m, _t, _a, inner: string) => (inner.trim() ? `**${inner.trim()}**` : ''));
  s = s.replace(/<li(\s[^>]*)?>/gi, '\n- ');
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/li>/gi, '');
  s = s.replace(/<\/(p|div|h[1-6]|tr|blockquote|ul|ol)>/gi, '\n');
  s = s.replace(/<(p|div|h[1-6]|tr|ul|ol|blockquote)(\s[^>]*)?>/gi, '\n');
  s = s.replace(/<[^>]+>/g, '');
  s = decodeEntities(s);
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The message text as the person wrote it, without the bot's @mention: from the text/html
 * attachment when Teams sends one (formatting kept), else from `text`.
 */
export function messageText(activity: LooseActivity): string {
  const html = (activity.attachments ?? []).find((a) => a.contentType === 'text/html' && typeof a.content === 'string')?.content as string | undefined;
  const botName = activity.recipient?.name;
  const botMentions = new Set(
    (activity.entities ?? []).filter((e) => e.type === 'mention' && e.mentioned?.id && e.mentioned.id === activity.recipient?.id).map((e) => e.text ?? ''),
  );
  let raw = html ?? activity.text ?? '';
  for (const m of botMentions) if (m) raw = raw.split(m).join(' ');
  // HTML mentions of the bot: <at id="0">bragbot</at>, or the attachment's <span itemtype=".../Mention">bragbot</span>
  if (botName) {
    raw = raw.replace(new RegExp(`<at[^>]*>\\s*${escapeRegExp(botName)}\\s*</at>`, 'gi'), ' ');
    raw = raw.replace(new RegExp(`<span[^>]*itemtype="http://schema\\.skype\\.com/Mention"[^>]*>\\s*${escapeRegExp(botName)}\\s*</span>`, 'gi'), ' ');
  }
  const text = html !== undefined || /<\/?(p|div|at|br|strong|b|a|span)\b/i.test(raw) ? htmlToText(raw) : raw.replace(/\r\n?/g, '\n');
  return text.trim();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function activityDate(activity: LooseActivity, fallback: Date): Date {
  const t = activity.timestamp;
  if (t instanceof Date && !Number.isNaN(t.getTime())) return t;
  if (typeof t === 'string') {
    const d = new Date(t);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return fallback;
}

/**
 * When a channel message was first posted, from its id: Teams names channel messages by the
 * epoch milliseconds of their creation ("1610373909123"). Only trusted when it reads as such a
 * time and is not after `notAfter` (the edit's own time); otherwise undefined.
 */
export function messagePostedAt(activity: LooseActivity, notAfter: Date): Date | undefined {
  const id = activity.id ?? '';
  if (!/^\d{13}$/.test(id)) return undefined;
  const at = new Date(Number(id));
  return at <= notAfter ? at : undefined;
}
