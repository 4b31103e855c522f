/** docs/data-protection.md names every Slack scope and Teams permission the manifests ask for, with a reason. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'data-protection.md'), 'utf8');
const section = (heading: string) => {
  const start = doc.indexOf(`## ${heading}`);
  expect(start, `docs/data-protection.md has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 3);
  return doc.slice(start, end < 0 ? undefined : end);
};
/** A table row that starts with the name in backticks and gives a reason after it. */
const rowFor = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`| \`${name}\``) || l.startsWith(`| bot scopes`) && l.includes(`\`${name}\``));

describe('docs/data-protection.md', () => {
  it('lists every Slack bot scope in the manifest, each with why', () => {
    const manifest = parse(readFileSync(join(root, 'manifests', 'slack', 'manifest.yml'), 'utf8')) as { oauth_config: { scopes: { bot: string[]; user?: string[] } } };
    const scopes = [...manifest.oauth_config.scopes.bot, ...(manifest.oauth_config.scopes.user ?? [])];
    expect(scopes.length).toBeGreaterThan(5);
    const text = section('Slack scopes');
    for (const scope of scopes) {
      const row = rowFor(text, scope);
      expect(row, `Slack scope ${scope} is in the table`).toBeDefined();
      expect(row!.split('|')[2]!.trim().length, `${scope} says why`).toBeGreaterThan(10);
    }
  });

  it('lists every Teams permission, RSC permission and bot scope in the manifest', () => {
    const m = JSON.parse(readFileSync(join(root, 'manifests', 'teams', 'manifest.json'), 'utf8')) as {
      permissions?: string[]; authorization?: { permissions?: { resourceSpecific?: { name: string }[] } }; bots: { scopes: string[] }[];
    };
    const names = [...(m.permissions ?? []), ...(m.authorization?.permissions?.resourceSpecific ?? []).map((p) => p.name)];
    expect(names.length).toBeGreaterThan(1);
    const text = section('Teams permissions');
    for (const name of names) {
      const row = rowFor(text, name);
      expect(row, `Teams permission ${name} is in the table`).toBeDefined();
      expect(row!.split('|')[2]!.trim().length, `${name} says why`).toBeGreaterThan(10);
    }
    for (const scope of m.bots.flatMap((b) => b.scopes)) expect(text).toContain(`\`${scope}\``);
  });

  it('says where, for how long and who can see each kind of data, and documents the retention settings', () => {
    for (const h of ['What is stored', 'Data flows', 'Retention', 'Legal hold', 'Subject access', 'Erasure']) expect(doc).toContain(`## ${h}`.replace('## Legal hold', '### Legal hold'));
    for (const k of ['retention.statusUpdatesMonths', 'retention.sectionRepliesMonths', 'retention.reportVersionsMonths', 'OUTBOX_RETENTION_DAYS', 'INBOUND_KEYS_RETENTION_DAYS', 'PURGE_CRON']) expect(doc).toContain(k);
  });
});
