/**
 * docs/security.md's tables against the code: every Slack button, form and command a listener
 * registers, every Teams card verb and every command has a row, so a new one cannot be added
 * without saying what it gets. The listeners register against a recording stand-in for Bolt's
 * App (no server), so the ids are the ones the running bot registers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { HandlerDeps } from '../../src/adapters/slack/deps.js';
import { SLACK_COMMANDS } from '../../src/adapters/slack/ids.js';
import { LISTENERS } from '../../src/adapters/slack/listeners/index.js';
import { VERBS } from '../../src/adapters/teams/ids.js';

const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'security.md'), 'utf8');
/** Everything the doc writes as code: `bragbot.brag.red`, `report.publish` … */
const codeSpans = new Set([...doc.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));

type Registered = { kind: string; id: string | RegExp };
function registered(): Registered[] {
  const seen: Registered[] = [];
  const note = (kind: string) => (c: unknown) => {
    const o = c as { action_id?: string | RegExp; callback_id?: string | RegExp } | string | RegExp;
    const id = typeof o === 'string' || o instanceof RegExp ? o : (o.action_id ?? o.callback_id);
    if (id !== undefined) seen.push({ kind, id });
  };
  const app = { action: note('action'), view: note('view'), command: note('command'), shortcut: note('shortcut'), options: note('options'), event: () => undefined, message: () => undefined, use: () => undefined };
  for (const l of LISTENERS) l.register(app as unknown as App, {} as HandlerDeps);
  return seen;
}

describe('docs/security.md lists every inbound request class the code registers', () => {
  const routes = registered();

  it('the listeners register buttons, a form and the commands (the stand-in sees them)', () => {
    expect(routes.filter((r) => r.kind === 'action').length).toBeGreaterThanOrEqual(8);
    expect(routes.some((r) => r.kind === 'view')).toBe(true);
  });

  it.each(routes.map((r) => [r.kind, String(r.id), r] as const))('Slack %s %s has a row', (_kind, _id, r) => {
    if (typeof r.id === 'string') {
      const id = r.id;
      // A command's row shows its arguments too: `/brag [ref] [status]`.
      const listed = r.kind === 'command' ? [...codeSpans].some((s) => s === id || s.startsWith(`${id} `)) : codeSpans.has(id);
      expect(listed, `docs/security.md has no \`${id}\``).toBe(true);
      return;
    }
    // A pattern (the BRAG buttons, the downloads): every value it stands for is listed, and at least one.
    const listed = [...codeSpans].filter((s) => (r.id as RegExp).test(s));
    expect(listed.length, `docs/security.md lists nothing matching ${String(r.id)}`).toBeGreaterThan(0);
  });

  it('each BRAG button and each download format is its own code span', () => {
    for (const b of ['blue', 'green', 'amber', 'red']) expect(codeSpans.has(`bragbot.brag.${b}`)).toBe(true);
    for (const f of ['docx', 'pdf']) expect(codeSpans.has(`bragbot.report.download.${f}`)).toBe(true);
  });

  it.each(Object.values(SLACK_COMMANDS))('the Slack command %s has a row', (command) => {
    expect([...codeSpans].some((s) => s === command || s.startsWith(`${command} `))).toBe(true);
  });

  it.each(Object.values(VERBS))('the Teams card verb %s has a row', (verb) => {
    expect(codeSpans.has(verb), `docs/security.md has no \`${verb}\``).toBe(true);
  });

  it('names every endpoint and the odd bodies the issue lists', () => {
    for (const s of ['POST /slack/events', 'POST /api/messages', 'GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /l/<token>', 'POST /l/<token>', 'url_verification', 'conversationUpdate', 'messageUpdate', 'messageDelete']) {
      expect(doc).toContain(s);
    }
    for (const odd of ['JSON `null`', 'an array', 'a string', 'empty body', 'over 1 MiB', 'unsigned', 'stale', 'future', 'unknown `action_id`', 'unknown `callback_id`', 'another Slack workspace']) expect(doc).toContain(odd);
  });
});
