/**
 * `bragbot serve` start-up and idle memory: the real binary (bin/bragbot.mjs, through tsx as a
 * user runs it) with Slack in HTTP mode against the fake Web API and the scheduler on, on a
 * migrated database holding a 500-action plan.
 *   tsx bench/serve.ts <sqlite|postgresql> [idleSeconds=20]
 * startupMs: from spawn to /slack/healthz answering (migrations checked, Slack identified,
 * the start-up plan begun); idle RSS after idleSeconds with nothing to do.
 */
import { openDatabase, type DbProvider } from '../src/db/client.js';
import { addMember } from '../src/services/groups.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../tests/support/factories.js';
import { FakeSlack } from '../tests/slack/fake-slack.js';
import { createTestDatabaseUrl, processMemoryMb, startServe } from './support.js';

const provider = (process.argv[2] ?? 'sqlite') as DbProvider;
const idleSeconds = Number(process.argv[3] ?? 20);

const { url, drop } = await createTestDatabaseUrl(provider);
const fake = await new FakeSlack().start();
try {
  const database = await openDatabase(url);
  const db = database.db;
  const workspaceId = await makeWorkspace(db, 'bench');
  const group = await makeGroup(db, workspaceId);
  const chair = await makePerson(db, workspaceId, { name: 'Asha Chair', slackUserId: 'UCHAIR' });
  await addMember(db, group.id, chair.id, 'chair');
  for (let i = 0; i < 500; i += 1) await makeAction(db, group.id, { ref: String(i + 1), dueDate: '2030-06-30', ownerIds: [chair.id] });
  await database.close();

  const serve = await startServe({
    DATABASE_URL: url, BRAGBOT_WORKSPACE: 'bench', SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench-signing-secret', SLACK_API_URL: fake.apiUrl,
  });
  const atStart = processMemoryMb(serve.child.pid!);
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const idle = processMemoryMb(serve.child.pid!);
  await serve.stop();
  console.log(JSON.stringify({
    scenario: 'serve', provider, startupMs: serve.startupMs, rssAtStartMb: atStart.rssMb, idleRssMb: idle.rssMb, peakRssMb: idle.peakRssMb, idleSeconds,
  }));
} finally {
  await fake.stop();
  await drop();
}
