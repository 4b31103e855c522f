/**
 * One suite, every channel: the same BRAG decision cases (recorded, duplicate / replay, stale
 * version, unchanged, not allowed, someone unknown, unknown action, archived action, another
 * workspace's action, the chair) run through each channel's real receiver (./channels), on both
 * databases. What is recorded is read from the database; what the person sees is compared in
 * plain words, the same sentence in every channel (src/services/interactions decides it once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';
import { providers } from '../support/db.js';
import { CHANNELS, type ChannelRun } from './channels/index.js';

interface Case {
  name: string;
  run(c: ChannelRun): Promise<void>;
}

const updatesOf = (c: ChannelRun, actionId: string) => c.world.db.statusUpdate.findMany({ where: { actionId }, orderBy: { at: 'asc' } });
const bragOf = async (c: ChannelRun, actionId: string) => (await c.world.db.action.findUniqueOrThrow({ where: { id: actionId } })).brag;
const ownedAction = (c: ChannelRun, brag: 'green' | 'amber' | 'red' = 'amber') => makeAction(c.world.db, c.world.group.id, { brag, dueDate: '2026-11-20', ownerIds: [c.world.owner.id] });
const NOT_IN_PLANS = 'That action is not in your workspace’s plans (it may have been removed).';

export const BRAG_CASES: Case[] = [
  {
    name: 'recorded: the owner sets Green',
    async run(c) {
      const a = await ownedAction(c);
      const { seen } = await c.click(await c.present(a.id), 'green', 'owner');
      expect(seen).toContain('Recorded Green (on track) (was Amber) by Olu Owner at 10:00.');
      expect((await updatesOf(c, a.id)).map((u) => [u.fromBrag, u.toBrag, u.personId, u.channel])).toEqual([['amber', 'green', c.world.owner.id, expect.any(String)]]);
      expect(await bragOf(c, a.id)).toBe('green');
    },
  },
  {
    name: 'duplicate: the same delivery replayed records once and says so',
    async run(c) {
      const a = await ownedAction(c);
      const click = await c.click(await c.present(a.id), 'red', 'owner');
      expect(click.seen).toContain('Recorded Red');
      expect(await click.replay()).toContain('Already recorded: Red (off track) by Olu Owner at 10:00.');
      expect(await updatesOf(c, a.id)).toHaveLength(1);
    },
  },
  {
    name: 'stale: a button rendered before someone else changed the action records nothing',
    async run(c) {
      const a = await ownedAction(c);
      const first = await c.present(a.id);
      const second = await c.present(a.id);
      await c.click(first, 'red', 'owner');
      const { seen } = await c.click(second, 'green', 'owner');
      expect(seen).toContain('This action changed since this');
      expect(seen).toContain('it is now Red (off track). Nothing was recorded; click again if you still want Green.');
      expect((await updatesOf(c, a.id)).map((u) => u.toBrag)).toEqual(['red']);
    },
  },
  {
    name: 'unchanged: the status it already has changes nothing',
    async run(c) {
      const a = await ownedAction(c, 'green');
      const { seen } = await c.click(await c.present(a.id), 'green', 'owner');
      expect(seen).toContain('It is already Green (on track): nothing to change.');
      expect(await updatesOf(c, a.id)).toHaveLength(0);
    },
  },
  {
    name: 'not allowed: someone outside the group is refused and nothing changes',
    async run(c) {
      const a = await ownedAction(c, 'green');
      const { seen } = await c.click(await c.present(a.id), 'red', 'stranger');
      expect(seen).toContain('Only the action’s owners, the group’s chair or an admin can update it.');
      expect(seen).toContain('Nothing was changed.');
      expect(await updatesOf(c, a.id)).toHaveLength(0);
      expect(await bragOf(c, a.id)).toBe('green');
    },
  },
  {
    name: 'the chair may change an action they do not own',
    async run(c) {
      const a = await ownedAction(c, 'green');
      const { seen } = await c.click(await c.present(a.id), 'amber', 'chair');
      expect(seen).toContain('Recorded Amber (at risk) (was Green) by Asha Chair');
      expect((await updatesOf(c, a.id))[0]).toMatchObject({ personId: c.world.chair.id, toBrag: 'amber' });
    },
  },
  {
    name: 'someone the channel cannot map is told how to be added',
    async run(c) {
      const a = await ownedAction(c, 'green');
      const { seen } = await c.click(await c.present(a.id), 'red', 'unknown');
      expect(seen).toMatch(/bragbot does not know (your (Slack|Teams) account|you) yet/);
      expect(await updatesOf(c, a.id)).toHaveLength(0);
    },
  },
  {
    name: 'unknown action: a button with an id no plan has',
    async run(c) {
      const a = await ownedAction(c, 'green');
      const { seen } = await c.click(c.forge(await c.present(a.id), 'clnosuchaction0000000000'), 'red', 'owner');
      expect(seen).toContain(NOT_IN_PLANS);
      expect(await c.world.db.statusUpdate.count({ where: { actionId: 'clnosuchaction0000000000' } })).toBe(0);
    },
  },
  {
    name: 'archived action: removed from the plan after the nudge was sent',
    async run(c) {
      const a = await ownedAction(c, 'green');
      const surface = await c.present(a.id);
      await c.world.db.action.update({ where: { id: a.id }, data: { archivedAt: new Date('2026-11-30T09:00:00Z') } });
      const { seen } = await c.click(surface, 'red', 'owner');
      expect(seen).toContain(NOT_IN_PLANS);
      expect(await updatesOf(c, a.id)).toHaveLength(0);
    },
  },
  {
    name: 'another workspace’s action: its id in our button is not found, never a change',
    async run(c) {
      const elsewhere = await makeWorkspace(c.world.db, `other-${Math.random().toString(36).slice(2, 8)}`);
      const theirGroup = await makeGroup(c.world.db, elsewhere, { slug: 'theirs' });
      const theirOwner = await makePerson(c.world.db, elsewhere, { name: 'Olu Owner' });
      const theirs = await makeAction(c.world.db, theirGroup.id, { brag: 'green', ownerIds: [theirOwner.id] });
      const mine = await ownedAction(c, 'green');
      const { seen } = await c.click(c.forge(await c.present(mine.id), theirs.id), 'red', 'owner');
      expect(seen).toContain(NOT_IN_PLANS);
      expect(await updatesOf(c, theirs.id)).toHaveLength(0);
      expect(await bragOf(c, theirs.id)).toBe('green');
    },
  },
];

for (const provider of await providers()) {
  describe.each(CHANNELS.map((ch) => [ch.name, ch] as const))(`BRAG decisions through %s (${provider})`, (_name, channel) => {
    let c: ChannelRun;
    beforeAll(async () => {
      c = await channel.start(provider);
    });
    afterAll(async () => c?.stop());
    it.each(BRAG_CASES.map((k) => [k.name, k] as const))('%s', async (_n, k) => k.run(c));
  });
}
