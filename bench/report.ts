/**
 * Highlight report benchmark: a group with 500 actions (150 of them updated since the last
 * meeting) and 100 thread replies from 25 officers in 8 teams, on a fresh database.
 *   tsx bench/report.ts <sqlite|postgresql> [actions=500] [replies=100]
 * Times generate (load inputs + assemble + store) and each rendering, cold (first call in the
 * process: fonts, chart canvas) and warm (second call). Prints one JSON line.
 */
import { openDatabase, type DbProvider } from '../src/db/client.js';
import { addMeeting, addMember } from '../src/services/groups.js';
import { generateReport, renderReport } from '../src/services/reports.js';
import { recordUpdate } from '../src/services/status-updates.js';
import { captureThreadReply, recordThreadOpened } from '../src/services/threads.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../tests/support/factories.js';
import { createTestDatabaseUrl, mb, peakRssMb, seeded } from './support.js';

const provider = (process.argv[2] ?? 'sqlite') as DbProvider;
const actionCount = Number(process.argv[3] ?? 500);
const replyCount = Number(process.argv[4] ?? 100);
const rnd = seeded(7);
const at = (iso: string) => new Date(iso);
const MEETING = '2021-03-10';
const NOW = at('2021-03-08T09:00:00Z');

const { url, drop } = await createTestDatabaseUrl(provider);
const database = await openDatabase(url);
const db = database.db;
try {
  const workspaceId = await makeWorkspace(db);
  const group = await makeGroup(db, workspaceId, { slug: 'ops' });
  const chair = await makePerson(db, workspaceId, { name: 'Asha Chair', slackUserId: 'UCHAIR' });
  await addMember(db, group.id, chair.id, 'chair');
  const teams = ['Pathway Team', 'Health', 'Education', 'Housing', 'Youth Justice', 'Fostering', 'Residential', 'Participation'];
  const officers = [];
  for (let i = 0; i < 25; i += 1) {
    officers.push(await makePerson(db, workspaceId, { name: `Officer ${i}`, slackUserId: `UOFF${i}`, team: teams[i % teams.length]! }));
  }
  const brags = ['green', 'green', 'amber', 'red', 'blue', 'unrated'] as const;
  const actions = [];
  for (let i = 0; i < actionCount; i += 1) {
    const owner = officers[i % officers.length]!;
    const month = 1 + (i % 12);
    const a = await makeAction(db, group.id, {
      ref: String(i + 1),
      activity: `Ensure that young people consistently receive the support set out in action ${i + 1}, reviewed with partners each quarter.`,
      brag: brags[i % brags.length]!,
      dueDate: `2021-${String(month).padStart(2, '0')}-28`,
      progress: 'Task and Finish Group established; practice standards being developed.',
      ownerIds: [owner.id],
    });
    actions.push({ id: a.id, owner });
  }
  await db.action.updateMany({ where: { groupId: group.id }, data: { createdAt: at('2021-01-04T09:00:00Z') } });
  const meeting = await addMeeting(db, group.id, MEETING);
  await addMeeting(db, group.id, '2021-02-10');
  await recordThreadOpened(db, { meetingId: meeting.id, platform: 'slack', conversationId: 'C0OPS', threadId: '1700000000.000100', now: at('2021-03-01T09:00:00Z') });
  // Updates since the last meeting: BRAG moves, progress, notes.
  for (let i = 0; i < Math.min(150, actions.length); i += 1) {
    const { id, owner } = actions[Math.floor(rnd() * actions.length)]!;
    await recordUpdate(db, {
      workspaceId, actionId: id, personId: owner.id, channel: 'slack', brag: brags[Math.floor(rnd() * 4)]!,
      progress: `Update ${i}: partners met and agreed the next steps; figures to follow.`, note: i % 3 === 0 ? 'Waiting on health colleagues.' : undefined,
      idempotencyKey: `bench-update-${i}`, now: new Date(at('2021-02-15T10:00:00Z').getTime() + i * 3_600_000),
    });
  }
  for (let i = 0; i < replyCount; i += 1) {
    const officer = officers[i % officers.length]!;
    const paragraphs = Array.from({ length: 3 }, (_, k) => `Paragraph ${k + 1} from ${officer.name}: we are working with ${100 + i} young people; ${k === 0 ? 'the audit of 20 cases is complete' : 'next steps agreed with partners'}.`);
    await captureThreadReply(db, {
      workspaceId, platform: 'slack', conversationId: 'C0OPS', threadId: '1700000000.000100', messageId: `1700000001.${String(i).padStart(6, '0')}`,
      userId: `UOFF${i % officers.length}`, at: new Date(at('2021-03-02T10:00:00Z').getTime() + i * 60_000), event: { kind: 'posted', text: paragraphs.join('\n\n') },
    });
  }

  const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const t = performance.now();
    const v = await f();
    return [v, Math.round(performance.now() - t)];
  };
  const [generated, generateMs] = await time(() => generateReport(db, { workspaceId, groupSlug: 'ops', requestedBy: 'Asha Chair', now: NOW }));
  const report = generated.report;
  const out: Record<string, number> = {};
  for (const format of ['md', 'html', 'docx', 'pdf'] as const) {
    const [file, cold] = await time(() => renderReport(report, format));
    const [, warm] = await time(() => renderReport(report, format));
    out[`${format}ColdMs`] = cold;
    out[`${format}WarmMs`] = warm;
    out[`${format}Kb`] = Math.round(Buffer.byteLength(file.body) / 1024);
  }
  console.log(JSON.stringify({
    scenario: 'report', provider, size: actionCount, replies: replyCount,
    sections: report.content.sections.length, generateMs, ...out, peakRssMb: peakRssMb(), heapMb: mb(process.memoryUsage().heapUsed),
  }));
} finally {
  await database.close();
  await drop();
}
