/**
 * Every card the Teams adapter can send, validated by the official Adaptive Cards parser
 * (under jsdom) and kept within Teams' message size, including hostile inputs: very long plan
 * text, Markdown characters, hundreds of actions.
 */
import { describe, expect, it } from 'vitest';
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { ActionCard, OutboundMessage } from '../../src/core/chat.js';
import { renderActionList, renderDetails, renderHelp, renderNotice, renderNotMineConfirm, renderProgressForm, renderWelcome, TEAMS_PREFILL_MAX } from '../../src/adapters/teams/cards/interactive.js';
import { omittedFromForm, TEXT_LIMITS } from '../../src/services/interactions/index.js';
import { renderOutbound } from '../../src/adapters/teams/cards/outbound.js';
import { renderReportCard } from '../../src/adapters/teams/cards/report.js';
import { CardData, CardScope, MAX_ACTIONS_WITH_BUTTONS } from '../../src/adapters/teams/ids.js';
import { cardProblems, TEAMS_MESSAGE_BYTES } from './support/adaptive-cards.js';
import { actionsOf, inputsOf, sampleCard, scopeOf, textOf } from './support/cards.js';

const long = 'The partnership will ensure that every care leaver has a pathway plan reviewed every six months. '.repeat(60);
const hostile = (): ActionCard => sampleCard({ ref: '1.', activity: `- *bold* _it_ [link](x) \`code\` <b>html</b> & ${long}`, progress: long, latestNote: long, groupName: `# ${long}`.slice(0, 500), ownerNames: Array.from({ length: 40 }, (_, i) => `Owner ${i} ${'x'.repeat(30)}`) });
const many = (count: number, f: () => ActionCard = () => sampleCard()): ActionCard[] => Array.from({ length: count }, f);

const outbound: Record<string, OutboundMessage> = {
  'nudge, one action': { kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo Demo', actions: [sampleCard()] },
  'nudge, update round with meeting': { kind: 'nudge', reasons: ['update-round', 'overdue'], recipientName: 'Jo Demo', actions: many(3), meeting: { groupName: 'Strategic Partnership', date: '2021-01-13' } },
  'nudge, 200 hostile actions': { kind: 'nudge', reasons: ['stale'], recipientName: 'Jo *Demo*', actions: many(200, hostile) },
  'nudge, every reason': { kind: 'nudge', reasons: ['due-soon', 'stale', 'catch-up'], recipientName: 'Jo', actions: many(2, () => sampleCard({ brag: 'unrated', dueKind: 'ongoing', dueDate: null, dueRaw: 'Ongoing', daysOverdue: 0 })) },
  'escalation, red': { kind: 'escalation', recipientName: 'Sam Patel', reason: 'red', ownerName: 'Jo Demo', actions: many(2, () => sampleCard({ brag: 'red' })) },
  'escalation, unanswered, 120 hostile': { kind: 'escalation', recipientName: 'Sam Patel', reason: 'unanswered', ownerName: 'Jo Demo', actions: many(120, hostile) },
  'digest': { kind: 'digest', recipientName: 'Sam Patel', periodLabel: 'Week of 19 July 2021', actions: [sampleCard({ brag: 'red' }), sampleCard(), sampleCard({ brag: 'green', daysOverdue: 3 })] },
  'digest, empty': { kind: 'digest', recipientName: 'Sam Patel', periodLabel: 'Week of 19 July 2021', actions: [] },
  'digest, 300 hostile': { kind: 'digest', recipientName: 'Sam Patel', periodLabel: 'Week', actions: many(300, hostile) },
  'thread-open': { kind: 'thread-open', groupName: 'Children in Care and Care Leavers Strategic Partnership', meetingDate: '2021-01-13', askedNames: ['Jo Demo', 'Rose Howley', 'Dave Purcell'] },
  'thread-open, 2000 people asked': { kind: 'thread-open', groupName: long.slice(0, 300), meetingDate: '2021-01-13', askedNames: Array.from({ length: 2000 }, (_, i) => `Person ${i}`) },
  'not-mine': { kind: 'not-mine', recipientName: 'Alex Morgan', fromName: 'Jo Demo', action: sampleCard() },
  'not-mine, hostile': { kind: 'not-mine', recipientName: 'Alex', fromName: 'Jo', action: hostile() },
  'text': { kind: 'text', text: 'Hello.\n\nSecond paragraph with *stars* and 1. a list marker.' },
  'text, huge': { kind: 'text', text: `${long}\n\n`.repeat(20) },
};

function expectValid(card: IAdaptiveCard): void {
  expect(cardProblems(card)).toEqual([]);
}

describe('the validator itself', () => {
  it('rejects a broken card (so a passing test means something)', () => {
    const problems = cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text' }, { type: 'Nope' }, { type: 'TextBlock', text: 'x', size: 'huge' }] });
    expect(problems.some((p) => p.includes('UnknownElementType'))).toBe(true);
    expect(problems.some((p) => p.includes('unique Id'))).toBe(true);
    expect(problems.some((p) => p.includes('InvalidPropertyValue'))).toBe(true);
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.6', body: [] })).toContain('version 1.6, expected 1.5');
  });
});

describe('outbound cards', () => {
  for (const [name, message] of Object.entries(outbound)) {
    it(`${name}: valid Adaptive Card 1.5 within Teams' message size`, () => {
      const r = renderOutbound(message);
      expectValid(r.card);
      expect(r.summary.length).toBeGreaterThan(0);
      expect(r.summary.length).toBeLessThanOrEqual(250);
    });
  }

  it('a nudge offers the same choices as Slack, each as Action.Execute with an Action.Submit fallback', () => {
    const a = sampleCard();
    const r = renderOutbound({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo', actions: [a] }, { versions: new Map([[a.actionId, 'v1']]) });
    const actions = actionsOf(r.card);
    expect(actions.map((x) => x.title)).toEqual(['🔵 Blue (complete)', '🟢 Green', '🟠 Amber', '🔴 Red', 'Update progress…', 'Snooze a week', 'Not mine…']);
    for (const x of actions) {
      expect(CardData.safeParse(x.data).success).toBe(true);
      expect(x.fallback?.type).toBe('Action.Submit');
      expect(x.fallback?.data).toEqual({ ...x.data, verb: x.verb });
    }
    expect(actions.filter((x) => x.verb === 'brag').map((x) => x.data)).toEqual(['blue', 'green', 'amber', 'red'].map((b) => ({ bb: 1, a: a.actionId, b, v: 'v1' })));
    const text = textOf(r.card);
    expect(text).toContain('🟠 **Amber** (at risk)');
    expect(text).toContain('Due 30 Jun 2021');
    expect(text).toContain('**20 working days overdue**');
    // The scope lets any click re-render the whole card.
    const scope = CardScope.parse(scopeOf(r.card));
    expect(scope).toMatchObject({ k: 'nudge', ids: [a.actionId], n: 'Jo', r: ['overdue'] });
  });

  it('a big nudge shows buttons for the first actions and summarises the rest', () => {
    const actions = many(30);
    const r = renderOutbound({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo', actions });
    const shownWithButtons = new Set(actionsOf(r.card).filter((x) => x.verb === 'brag').map((x) => x.data?.a));
    expect(shownWithButtons.size).toBe(MAX_ACTIONS_WITH_BUTTONS);
    expect(textOf(r.card)).toContain(`Also yours: ${30 - MAX_ACTIONS_WITH_BUTTONS} more actions`);
    expect(textOf(r.card)).toContain('Type **my actions** to update the rest.');
  });

  it('hostile plan text is escaped, clamped and still fits', () => {
    const r = renderOutbound({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo', actions: many(200, hostile) });
    const bytes = Buffer.byteLength(JSON.stringify(r.card));
    expect(bytes).toBeLessThanOrEqual(TEAMS_MESSAGE_BYTES);
    const text = textOf(r.card);
    expect(text).toContain('\\*bold\\*');
    expect(text).toContain('**1.** · \\- \\*bold\\*');
    expect(text).toContain('…');
  });

  it('escalations and digests list other people’s actions with Details only', () => {
    const r = renderOutbound(outbound['escalation, red']!);
    expect(new Set(actionsOf(r.card).map((x) => x.verb))).toEqual(new Set(['details']));
    expect(textOf(r.card)).toContain('Owner: Jo Demo');
    expect(textOf(r.card)).toContain('Recruitment slipped');
    expect(CardScope.parse(scopeOf(r.card))).toMatchObject({ k: 'escalation', o: 'Jo Demo', x: 'red' });
  });

  it('the update round tells people how to reply, and what to do without the RSC permission', () => {
    const text = textOf(renderOutbound(outbound['thread-open']!).card);
    expect(text).toContain('reply to this post');
    expect(text).toContain('@mention bragbot');
    expect(text).toContain('Asked: Jo Demo, Rose Howley, Dave Purcell');
  });
});

/** The form the interactions service would allow for this action (long texts left out, as it does). */
function formOf(a: ActionCard & { evidence: string }) {
  const omitted = (['progress', 'evidence'] as const).filter((f) => a[f].length > TEAMS_PREFILL_MAX).map((field) => ({ field, length: a[field].length, text: omittedFromForm(field, a[field].length) }));
  return {
    kind: 'form' as const, action: a, version: 'v1', omitted,
    prefill: Object.fromEntries((['progress', 'evidence'] as const).filter((f) => a[f] !== '' && a[f].length <= TEAMS_PREFILL_MAX).map((f) => [f, a[f]])),
    limits: { progress: TEXT_LIMITS.progress, evidence: TEXT_LIMITS.evidence, note: TEXT_LIMITS.note, revisedDue: TEXT_LIMITS.revisedDue },
  };
}

describe('interactive cards', () => {
  const a = { ...sampleCard(), evidence: 'Apprenticeship contracts signed.' };
  const scope: CardScope = { k: 'nudge', ids: [a.actionId], n: 'Jo' };
  const cases: Record<string, IAdaptiveCard> = {
    'my actions, first page of 20': renderActionList(many(8), 0, many(20)),
    'my actions, last page': renderActionList(many(4), 2, many(20)),
    'my actions, none': renderActionList([], 0, []),
    'my actions, hostile': renderActionList(many(8, hostile), 0, many(8, hostile), { notice: { text: '⛔ no', tone: 'attention' } }),
    'progress form': renderProgressForm(formOf(a), scope),
    'progress form, unrated, notice, typed values': renderProgressForm(formOf({ ...a, brag: 'unrated', progress: long, evidence: long }), null, { text: '⚠️ bad date', tone: 'warning' }, { status: 'red', note: long }),
    'not mine confirmation': renderNotMineConfirm(a, scope),
    'details with history': renderDetails(a, [
      { actorName: 'Jo Demo', at: new Date('2021-07-01T09:00:00Z'), kind: 'update', fromBrag: 'green', toBrag: 'amber', note: 'Slipping', toProgress: 'x', revisedDueRaw: '30/09/21', channel: 'teams' },
      { actorName: 'Jo Demo', at: new Date('2021-06-01T09:00:00Z'), kind: 'not-mine', fromBrag: 'green', toBrag: 'green', note: null, toProgress: null, revisedDueRaw: null, channel: 'slack' },
    ], scope),
    'details, no history, no scope': renderDetails({ ...hostile(), evidence: long }, [], null),
    notice: renderNotice('Not allowed', '⛔ Only owners…', 'attention'),
    'help, personal': renderHelp('personal'),
    'help, channel': renderHelp('channel', 'I did not catch that.'),
    'welcome, personal': renderWelcome('personal'),
    'welcome, channel': renderWelcome('channel'),
    'report, draft': renderReportCard({ reportId: 'r1', groupSlug: 'cic', meetingDate: '2021-01-13', version: 2, status: 'draft', canPublish: true, summary: '**Highlight Report** (version 2, draft)\n\nMeeting 13 January 2021\n\n- Overdue (3)\n- one\n- two' }),
    'report, draft, for a member who may not publish': renderReportCard({ reportId: 'r1', groupSlug: 'cic', meetingDate: '2021-01-13', version: 2, status: 'draft', canPublish: false, summary: '**Highlight Report** (version 2, draft)' }),
    'report, published, huge summary': renderReportCard({ reportId: 'r1', groupSlug: 'cic', meetingDate: '2021-01-13', version: 2, status: 'published', summary: `${long}\n\n`.repeat(3) }, { published: true, status: { text: '✅ Published', tone: 'good' } }),
  };
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: valid and within size`, () => expectValid(c));
  }

  it('the progress form has status, where we are now, evidence, revised date and a note', () => {
    const inputs = inputsOf(cases['progress form']!);
    expect(inputs.map((i) => [i.type, i.id])).toEqual([
      ['Input.ChoiceSet', 'bb_status'],
      ['Input.Text', 'bb_progress'],
      ['Input.Text', 'bb_evidence'],
      ['Input.Date', 'bb_revised'],
      ['Input.Text', 'bb_note'],
      ['Input.Text', 'bb_scope'],
    ]);
    expect(inputs.find((i) => i.id === 'bb_scope')?.isVisible).toBe(false);
    expect(actionsOf(cases['progress form']!).map((x) => [x.title, x.verb])).toEqual([['Save', 'progress.save'], ['Cancel', 'back']]);
  });

  it('paging buttons appear only where there is somewhere to go', () => {
    expect(actionsOf(cases['my actions, first page of 20']!).filter((x) => x.verb === 'list.page').map((x) => x.data?.p)).toEqual([1]);
    expect(actionsOf(cases['my actions, last page']!).filter((x) => x.verb === 'list.page').map((x) => x.data?.p)).toEqual([1]);
    expect(actionsOf(cases['my actions, none']!)).toEqual([]);
  });

  it('a published report has no Publish button; a draft has one only for those who may publish', () => {
    expect(actionsOf(cases['report, draft']!).map((x) => [x.verb, x.data])).toEqual([['report.publish', { bb: 1, r: 'r1', g: 'cic' }]]);
    expect(actionsOf(cases['report, draft, for a member who may not publish']!)).toEqual([]);
    expect(actionsOf(cases['report, published, huge summary']!)).toEqual([]);
  });
});
