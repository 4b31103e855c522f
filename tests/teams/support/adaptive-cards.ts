/**
 * The official Adaptive Cards parser (the `adaptivecards` package, the renderer Teams' web
 * client uses) run inside a jsdom window: its UMD bundle is evaluated in the window, so it
 * needs no Node globals. A card validates when parsing raises no event (unknown element,
 * invalid property value…) and validateProperties() reports nothing (missing ids, duplicate
 * ids, choices without values, unsupported version…).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { JSDOM } from 'jsdom';
import type * as AdaptiveCardsNs from 'adaptivecards';

type AC = typeof AdaptiveCardsNs;
let cached: AC | undefined;

export function adaptiveCards(): AC {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.js'), 'utf8');
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { runScripts: 'outside-only' });
  dom.window.eval(source);
  cached = (dom.window as unknown as { AdaptiveCards: AC }).AdaptiveCards;
  if (!cached?.AdaptiveCard) throw new Error('adaptivecards did not load under jsdom');
  return cached;
}

/** Teams' message limit (the card must leave room for the activity around it). */
export const TEAMS_MESSAGE_BYTES = 28 * 1024;

/** Every problem the official parser finds in the card, as readable strings ([] = valid). */
export function cardProblems(json: unknown): string[] {
  const AC = adaptiveCards();
  const problems: string[] = [];
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json as object, ctx);
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    problems.push(`parse: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${AC.ValidationEvent[e.event]}: ${e.message}`);
  const c = json as { type?: unknown; version?: unknown };
  if (c.type !== 'AdaptiveCard') problems.push('not an AdaptiveCard');
  if (c.version !== '1.5') problems.push(`version ${String(c.version)}, expected 1.5`);
  const bytes = Buffer.byteLength(JSON.stringify(json), 'utf8');
  if (bytes > TEAMS_MESSAGE_BYTES) problems.push(`${bytes} bytes, over Teams' ${TEAMS_MESSAGE_BYTES}`);
  return problems;
}
