/**
 * A chair sets the partnership's section order with the CLI, without writing JSON, sees it as a
 * numbered list, and gets the paper in that order with the cover note beside it. The real
 * binary on a SQLite file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { addMeeting, addMember } from '../../src/services/groups.js';
import { upsertPerson } from '../../src/services/people.js';
import { captureThreadReply, recordThreadOpened } from '../../src/services/threads.js';
import { bragbotCli } from '../support/cli.js';

const { dir, databaseUrl: DATABASE_URL, bragbot } = bragbotCli({ prefix: 'bragbot-sections-cli-' });

describe('bragbot groups settings --set report.sections, then report', () => {
  it('takes the order as one line, shows it numbered, refuses typos, and the paper follows it', async () => {
    expect((await bragbot('groups', 'add', 'cicp', '--name', 'Strategic Partnership')).code).toBe(0);
    const set = await bragbot('groups', 'settings', 'cicp', '--set', 'report.sections=Leaving Care Service Update; Court Team; Fostering Panel', '--set', 'report.coverageLine=false');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('  1. Leaving Care Service Update\n  2. Court Team\n  3. Fostering Panel\n');
    expect(set.stdout).toContain('--set report.sections="First section; Second section; …"');

    // Typos and bad values are refused, naming the setting, and nothing is saved.
    const typo = await bragbot('groups', 'settings', 'cicp', '--set', 'report.section=Court Team');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('report.');
    expect(typo.stderr).toContain('sections');
    const flag = await bragbot('groups', 'settings', 'cicp', '--set', 'report.coverageLine=maybe');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('report.coverageLine');

    const database = await openDatabase(DATABASE_URL);
    try {
      const db = database.db;
      const group = await db.group.findFirstOrThrow({ where: { slug: 'cicp' } });
      // Stored as a list, as the settings read it back.
      expect(JSON.parse(group.settingsJson).report).toEqual({ sections: ['Leaving Care Service Update', 'Court Team', 'Fostering Panel'], coverageLine: false });
      const meeting = await addMeeting(db, group.id, '2021-01-13');
      await recordThreadOpened(db, { meetingId: meeting.id, platform: 'slack', conversationId: 'C1', threadId: '1.1', now: new Date('2021-01-06T09:00:00Z') });
      const lead = async (name: string, team: string, slack: string) => addMember(db, group.id, (await upsertPerson(db, group.workspaceId, { name, team, slackUserId: slack })).id, 'member');
      await lead('Court Lead', 'Court Team', 'UCOURT');
      await lead('Panel Lead', 'Fostering Panel', 'UPANEL');
      await lead('Pathway Lead', 'Pathway Team', 'UPATH');
      await lead('Silent Lead', 'Virtual School', 'USILENT');
      const post = (userId: string, ts: string, text: string) =>
        captureThreadReply(db, { workspaceId: group.workspaceId, platform: 'slack', conversationId: 'C1', threadId: '1.1', messageId: ts, userId, at: new Date(`2021-01-${ts}T10:00:00Z`), event: { kind: 'posted', text } });
      await post('UPANEL', '07', 'Fostering Panel\n\n5 panels since October.');
      await post('UCOURT', '08', 'Court Team Update:\n\nHearings are hybrid.');
      await post('UPATH', '09', 'Leaving Care Service Update:\n\n135 young people.');
      await post('UCOURT', '10', 'And a tracker of all cases is now in place.');
    } finally {
      await database.close();
    }

    const note = join(dir, 'note.md');
    const md = await bragbot('report', '--group', 'cicp', '--meeting', '2021-01-13', '--format', 'md', '--cover-note', note);
    expect(md.code).toBe(0);
    const headings = [...md.stdout.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['Introduction', 'Leaving Care Service Update', 'Court Team Update', 'Fostering Panel', 'Action plan status']);
    expect(md.stdout).toContain('Hearings are hybrid.\n\nAnd a tracker of all cases is now in place.');
    expect(md.stdout).not.toContain('Silent Lead');
    expect(md.stdout).not.toContain('gave an update');
    const cover = readFileSync(note, 'utf8');
    expect(cover).toContain('## Not yet replied: 1\n\n- Silent Lead (Virtual School)');
    expect(cover).toContain('| Court Team Update | Court Lead |');
  });
});
