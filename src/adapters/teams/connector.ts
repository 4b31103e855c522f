/**
 * Proactive messages through the Bot Connector REST API of a conversation's service URL (the
 * one stored with its conversation reference: Teams' regional connector, or the Playground's
 * emulator). The SDK's own `app.send` always uses one configured service URL and refuses to
 * run without an app id; this uses the SDK's API client per reference instead, with the app's
 * token-bearing HTTP client (no token in the local demo mode).
 */
import type { ActivityParams } from '@microsoft/teams.api';
import { Client } from '@microsoft/teams.api';
import type { App } from '@microsoft/teams.apps';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { CARD_CONTENT_TYPE } from './cards/elements.js';

export interface ConversationTarget {
  serviceUrl: string;
  /** Threaded channel posts: `<channel id>;messageid=<root id>`. */
  conversationId: string;
  /** The bot's account in the conversation, when the reference knows it. */
  bot?: { id: string; name?: string | undefined } | undefined;
}

export interface OutgoingCard {
  card: IAdaptiveCard;
  /** Notification / screen-reader text. */
  summary?: string | undefined;
  /** Someone to @mention with the card (a partner's external member in a shared channel). */
  mention?: { id: string; name: string } | undefined;
}

export interface ConnectorClient {
  post(to: ConversationTarget, message: OutgoingCard): Promise<{ id: string }>;
  update(to: ConversationTarget, activityId: string, message: OutgoingCard): Promise<void>;
}

export type HttpClient = App['api']['http'];

export function cardActivity(message: OutgoingCard, to?: ConversationTarget): ActivityParams {
  return {
    type: 'message',
    ...(message.summary ? { summary: message.summary } : {}),
    // A mention is the activity's text plus its entity (Bot Framework's `mention` entity).
    ...(message.mention
      ? { text: `<at>${message.mention.name}</at>`, entities: [{ type: 'mention', text: `<at>${message.mention.name}</at>`, mentioned: { id: message.mention.id, name: message.mention.name } }] }
      : {}),
    attachments: [{ contentType: CARD_CONTENT_TYPE, content: message.card }],
    ...(to ? { conversation: { id: to.conversationId } as ActivityParams['conversation'] } : {}),
    ...(to?.bot ? { from: { id: to.bot.id, name: to.bot.name ?? '', role: 'bot' } as ActivityParams['from'] } : {}),
  } as ActivityParams;
}

export function connectorClient(http: HttpClient): ConnectorClient {
  const clients = new Map<string, Client>();
  const forUrl = (serviceUrl: string): Client => {
    const url = serviceUrl.replace(/\/+$/, '');
    let c = clients.get(url);
    if (!c) {
      c = new Client(url, http);
      clients.set(url, c);
    }
    return c;
  };
  return {
    async post(to, message) {
      const res = await forUrl(to.serviceUrl).conversations.activities(to.conversationId).create(cardActivity(message, to));
      if (!res?.id) throw new Error('the Bot Connector returned no activity id');
      return { id: res.id };
    },
    async update(to, activityId, message) {
      await forUrl(to.serviceUrl).conversations.activities(to.conversationId).update(activityId, { ...cardActivity(message, to), id: activityId });
    },
  };
}
