/**
 * Conversation references: what a proactive message needs to reach a conversation later
 * (service URL, conversation id, tenant, the bot's account). Stored on install and refreshed on
 * every activity, so a moved service URL or a reinstalled app heals itself. A personal chat's
 * reference belongs to the person (ConversationRef.personId): the outbox finds it by person.
 */
import { z } from 'zod';
import type { ChatAddress } from '../../core/chat.js';
import type { Db } from '../../db/client.js';
import { conversationKind, splitThreadId, type LooseActivity } from './activity.js';
import type { ConversationTarget } from './connector.js';

export const StoredReference = z.object({
  serviceUrl: z.string().url().optional(),
  channelId: z.string().optional(),
  bot: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  conversation: z.object({ id: z.string(), conversationType: z.string().optional(), tenantId: z.string().optional(), isGroup: z.boolean().optional() }).optional(),
  /** Personal chats: the user (ids only; names are not needed to send). */
  user: z.object({ id: z.string(), aadObjectId: z.string().optional() }).optional(),
  /** Channels: the team (GroupChannel stores it too). */
  teamId: z.string().optional(),
  locale: z.string().optional(),
});
export type StoredReference = z.infer<typeof StoredReference>;

/** The reference an activity gives, for its conversation (a channel thread → the channel). */
export function referenceOf(activity: LooseActivity): StoredReference | null {
  const convId = activity.conversation?.id;
  const serviceUrl = activity.serviceUrl;
  if (!convId || !serviceUrl) return null;
  const kind = conversationKind(activity);
  const base = splitThreadId(convId).base;
  return {
    serviceUrl: serviceUrl.replace(/\/+$/, ''),
    channelId: activity.channelId ?? 'msteams',
    ...(activity.recipient?.id ? { bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) } } : {}),
    conversation: {
      id: base,
      conversationType: kind,
      ...(activity.conversation?.tenantId || activity.channelData?.tenant?.id ? { tenantId: activity.conversation?.tenantId || activity.channelData?.tenant?.id } : {}),
      ...(kind !== 'personal' ? { isGroup: true } : {}),
    },
    ...(kind === 'personal' && activity.from?.id ? { user: { id: activity.from.id, ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}) } } : {}),
    ...(activity.channelData?.team?.id ? { teamId: activity.channelData.team.id } : {}),
    ...(activity.locale ? { locale: activity.locale } : {}),
  };
}

/**
 * What this process last wrote for each conversation, per database: a card click (or any
 * activity) whose reference and person are the same as last time writes nothing (issue 16: a
 * click in ≤ 4 statements; this upsert was one of every click's). Anything that differs — a new
 * service URL, the person mapped or erased since — is written. Bounded: forgotten past 10,000.
 */
const written = new WeakMap<Db, Map<string, string>>();
const WRITTEN_MAX = 10_000;

/**
 * Upserts the reference. `personId` only for personal chats (a channel is nobody's). A stranger's
 * personal chat is stored too (personId null) so that mapping them later needs no new message.
 */
export async function storeConversationRef(db: Db, activity: LooseActivity, personId: string | null): Promise<StoredReference | null> {
  const ref = referenceOf(activity);
  if (!ref?.conversation) return null;
  const personal = ref.conversation.conversationType === 'personal';
  const data = {
    serviceUrl: ref.serviceUrl ?? null,
    tenantId: ref.conversation.tenantId ?? null,
    referenceJson: JSON.stringify(ref),
    ...(personal && personId ? { personId } : {}),
  };
  let mine = written.get(db);
  if (!mine) written.set(db, (mine = new Map()));
  const stored = JSON.stringify([data, personal ? personId : null]);
  if (mine.get(ref.conversation.id) === stored) return ref;
  await db.conversationRef.upsert({
    where: { platform_conversationId: { platform: 'teams', conversationId: ref.conversation.id } },
    create: { platform: 'teams', conversationId: ref.conversation.id, ...data, personId: personal ? personId : null },
    update: data,
  });
  if (mine.size >= WRITTEN_MAX) mine.clear();
  mine.set(ref.conversation.id, stored);
  return ref;
}

export function parseReference(json: string | undefined): StoredReference {
  if (!json) return {};
  try {
    const r = StoredReference.safeParse(JSON.parse(json));
    return r.success ? r.data : {};
  } catch {
    return {};
  }
}

/** Where a ChatAddress goes: its stored reference's service URL, else the default connector. */
export function targetOf(to: ChatAddress, defaultServiceUrl: string): ConversationTarget {
  const ref = parseReference(to.referenceJson);
  const base = splitThreadId(to.conversationId).base;
  return {
    serviceUrl: (ref.serviceUrl ?? defaultServiceUrl).replace(/\/+$/, ''),
    conversationId: to.threadId ? `${base};messageid=${to.threadId}` : to.conversationId,
    ...(ref.bot ? { bot: ref.bot } : {}),
  };
}
