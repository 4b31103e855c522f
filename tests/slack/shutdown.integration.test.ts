/**
 * A shutdown (deploy, Ctrl-C) waits for work Slack was already told we received: the
 * acknowledged /highlight-report still finishes and answers before stop() resolves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportService } from '../../src/adapters/slack/index.js';
import { setGroupChannel } from '../../src/services/groups.js';
import { FAKE_TEAM_ID, fixture, startHarness, type Harness } from './harness.js';

describe('Slack shutdown', () => {
  let h: Harness;
  let finished = 0;
  const reports: ReportService = {
    async generate(req) {
      await new Promise((r) => setTimeout(r, 1500));
      finished += 1;
      return { reportId: 'rep-1', groupSlug: req.groupSlug, meetingDate: '2026-12-03', version: 1, status: 'draft', summary: '*Highlight Report*' };
    },
    render: () => Promise.reject(new Error('not used')),
    publish: () => Promise.reject(new Error('not used')),
    previewOf: () => Promise.reject(new Error('not used')),
  };
  beforeAll(async () => {
    h = await startHarness('sqlite', { reports });
    await setGroupChannel(h.database.db, h.world.group.id, { platform: 'slack', conversationId: 'C0GROUP', teamId: FAKE_TEAM_ID });
  });
  afterAll(async () => {
    await h?.fake.stop();
    await h?.database.destroy();
  });

  it('stop() lets an acknowledged command finish and answer before it resolves', async () => {
    const fields = fixture<Record<string, string>>('command.json', {
      TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: 'C0GROUP', USER_ID: 'UCHAIR', COMMAND: '/highlight-report', TEXT: 'ops',
      RESPONSE_URL: h.fake.responseUrl('shutdown-1'), TRIGGER_ID: 'trigger-shutdown-1',
    });
    const res = await h.command(fields);
    expect(res.status).toBe(200);
    expect(finished).toBe(0); // acknowledged, still working
    await h.slack.stop();
    expect(finished).toBe(1);
    expect(h.fake.responses.some((r) => r.id === 'shutdown-1')).toBe(true);
  }, 20_000);
});
