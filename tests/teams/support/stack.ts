/**
 * The whole local stack the demo runs: a migrated SQLite database with the demo plan, the Teams
 * adapter in its explicit local demo mode, and the M365 Agents Playground pointed at it. What
 * the Playground shows is read from its conversation stream (the WebSocket its web UI uses),
 * through jsdom's standards WebSocket client.
 */
import { JSDOM } from 'jsdom';
import { startTeams, type TeamsRuntime } from '../../../src/adapters/teams/index.js';
import { startPlayground, type Playground } from '../../../src/adapters/teams/playground.js';
import type { Clock } from '../../../src/clock.js';
import { loadConfig } from '../../../src/config.js';
import type { Db } from '../../../src/db/client.js';
import { loadDemoIfEmpty } from '../../../src/services/demo.js';
import { ensureWorkspace } from '../../../src/services/workspace.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { captureLogger, type LogLine } from './harness.js';

export interface StreamEvent {
  action: string;
  actionConversationId?: string;
  message?: { messageId?: string; from?: { id?: string }; text?: string; attachments?: { contentType: string; content: unknown }[] };
  [k: string]: unknown;
}

/** What the Playground shows and how its UI talks to it: its conversation stream and its HTTP API. */
export interface PlaygroundClient {
  events: StreamEvent[];
  /** Waits for a stream event matching `pred` (after `since` events). */
  waitFor(pred: (e: StreamEvent) => boolean, o?: { since?: number; timeoutMs?: number }): Promise<StreamEvent>;
  /** A user message typed in a Playground conversation (what its UI posts). */
  say(text: string, o?: { conversationId?: string; mentionBot?: boolean }): Promise<{ messageId: string }>;
  /** An Action.Execute click as the Playground's UI sends it. */
  /** Answers with the bot's invoke response as the Playground relays it (type and value; it drops statusCode). */
  invoke(replyToId: string, action: { verb: string; data: Record<string, unknown> }, conversationId?: string): Promise<{ type: string; value: unknown }>;
  close(): void;
}

export interface Stack extends Omit<PlaygroundClient, 'close'> {
  db: Db;
  workspaceId: string;
  teams: TeamsRuntime;
  playground: Playground;
  logs: LogLine[];
  stop(): Promise<void>;
}

/** `now`: a fixed instant, or the clock the bot runs on. */
export async function startStack(now: Date | Clock): Promise<Stack> {
  const clock: Clock = typeof now === 'function' ? now : () => now;
  const database: TestDatabase = await createTestDatabase('sqlite');
  const { db } = database;
  const workspaceId = await ensureWorkspace(db, 'default', 'Demo Council');
  await loadDemoIfEmpty(db, workspaceId, clock());
  const { logger, lines } = captureLogger();
  const config = loadConfig({ TEAMS_MODE: 'on', TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: 'true' });
  const teams = await startTeams({ config, db, workspaceId, logger, clock, port: 0 });
  const playground = await startPlayground({ botEndpoint: teams.messagingEndpoint, port: 0 });
  const client = await connectPlayground(playground);
  return {
    db,
    workspaceId,
    teams,
    playground,
    logs: lines,
    events: client.events,
    waitFor: client.waitFor,
    say: client.say,
    invoke: client.invoke,
    async stop() {
      client.close();
      await playground.stop();
      await teams.stop();
      await database.destroy();
    },
  };
}

/** Opens the Playground's conversation stream (the WebSocket its web UI uses) and its HTTP API. */
export async function connectPlayground(playground: Playground): Promise<PlaygroundClient> {
  const base = `http://127.0.0.1:${playground.port}`;
  const events: StreamEvent[] = [];
  const dom = new JSDOM('', { url: playground.url });
  const ws = new dom.window.WebSocket(`ws://127.0.0.1:${playground.port}/_ws_conversation/v1/conversations/stream`);
  ws.onmessage = (e: MessageEvent) => {
    try {
      events.push(JSON.parse(String(e.data)) as StreamEvent);
    } catch {
      // not JSON: not a conversation event
    }
  };
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error('could not open the Playground conversation stream'));
  });

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`Playground ${path}: HTTP ${res.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };

  return {
    events,
    async waitFor(pred, o = {}) {
      const deadline = Date.now() + (o.timeoutMs ?? 15_000);
      while (Date.now() < deadline) {
        const hit = events.slice(o.since ?? 0).find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no matching Playground event; saw: ${events.map((e) => e.action).join(', ')}`);
    },
    async say(text, o = {}) {
      const conversationId = o.conversationId ?? playground.ids.personalChatId;
      const botAt = `<at>${playground.ids.botName}</at>`;
      const body = o.mentionBot
        ? { from: { id: playground.currentUser.id }, text: `${botAt} ${text}`, textFormat: 'plain', mentions: [{ mentioned: { id: playground.ids.botId }, text: botAt }] }
        : { from: { id: playground.currentUser.id }, text, textFormat: 'plain' };
      return (await post(`/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, body)) as { messageId: string };
    },
    async invoke(replyToId, action, conversationId = playground.ids.personalChatId) {
      return (await post('/_conversation/v1/invoke', {
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', ...action }, trigger: 'manual' },
        from: { id: playground.currentUser.id },
        conversation: { id: conversationId },
        replyToId,
      })) as { type: string; value: unknown };
    },
    close() {
      ws.close();
      dom.window.close();
    },
  };
}

/** The Adaptive Card of a stream event, if it carries one. */
export function cardOf(e: StreamEvent | undefined): unknown {
  return e?.message?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}
