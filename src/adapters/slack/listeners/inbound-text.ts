/**
 * Every text a person typed reaches the listeners decoded (../decode-text.ts): thread replies
 * and their edits, app mentions, slash-command arguments and modal fields. Done once, here,
 * after the workspace guard and before any listener, so no listener can forget it and nothing
 * Slack-encoded (`&amp;`, `<@U…>`, `<https://…|…>`) is ever stored or printed in a paper.
 */
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import { namesBySlackId } from '../../../services/people.js';
import { decodeSlackText, mentionedUserIds } from '../decode-text.js';
import type { HandlerDeps } from '../deps.js';

type Loose = Record<string, unknown>;
interface TextField {
  get(): string;
  set(text: string): void;
}

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

function field(holder: Loose, key: string): TextField[] {
  return typeof holder[key] === 'string' ? [{ get: () => holder[key] as string, set: (t) => { holder[key] = t; } }] : [];
}

/** The person-typed texts of a payload, where the listeners will read them. */
export function typedTexts(body: Loose): TextField[] {
  // Slash command: the arguments.
  if (typeof body.command === 'string') return field(body, 'text');
  if (body.type === 'event_callback' && isObject(body.event)) {
    const event = body.event;
    return [...field(event, 'text'), ...(isObject(event.message) ? field(event.message, 'text') : [])];
  }
  if (body.type === 'view_submission' && isObject(body.view) && isObject(body.view.state) && isObject(body.view.state.values)) {
    const out: TextField[] = [];
    for (const block of Object.values(body.view.state.values)) {
      if (!isObject(block)) continue;
      for (const input of Object.values(block)) if (isObject(input) && input.type === 'plain_text_input') out.push(...field(input, 'value'));
    }
    return out;
  }
  return [];
}

export function inboundText(deps: Pick<HandlerDeps, 'db' | 'workspaceId'>): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const texts = typedTexts(args.body as unknown as Loose);
    if (texts.length) {
      const names = await namesBySlackId(deps.db, deps.workspaceId, [...new Set(texts.flatMap((t) => mentionedUserIds(t.get())))]);
      for (const t of texts) t.set(decodeSlackText(t.get(), (id) => names.get(id)));
    }
    await args.next();
  };
}

export function register(app: App, deps: HandlerDeps): void {
  app.use(inboundText(deps));
}
