/**
 * Block Kit rendering, pure: every message kind stays inside Slack's limits (50 blocks,
 * 3000-character sections, 2000-character button values …) whatever the plan holds, and BRAG is
 * always shown with its word and meaning, never colour alone.
 */
import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { blockKitViolations, fitBlocks, SLACK_LIMITS } from '../../src/adapters/slack/render/limits.js';
import { renderBragList } from '../../src/adapters/slack/render/brag-list.js';
import { progressModal } from '../../src/adapters/slack/render/modal.js';
import { NUDGE_MAX_CARDS, renderOutbound } from '../../src/adapters/slack/render/outbound.js';
import { renderReportPreview } from '../../src/adapters/slack/render/report.js';
import { esc } from '../../src/adapters/slack/render/text.js';
import { BRAGS, type Brag } from '../../src/core/brag.js';
import type { ActionCard } from '../../src/core/chat.js';
import { omittedFromForm, TEXT_LIMITS } from '../../src/services/interactions/index.js';

const LONG = 'Ensure every care leaver has a pathway plan & a named worker <before> they turn 18. '.repeat(120);

function card(i: number, over: Partial<ActionCard> = {}): ActionCard {
  const brag = (['red', 'amber', 'green', 'unrated'] as const)[i % 4] ?? 'red';
  return {
    actionId: `c${String(i).padStart(24, '0')}`,
    groupSlug: 'ops', groupName: 'Children in Care Operational Group',
    ref: String(i), activity: `Action ${i}: recruit foster carers for teenagers`, progress: '',
    dueKind: 'date', dueDate: '2026-06-30', dueRaw: '30/06/26', brag, daysOverdue: i % 3 === 0 ? 154 : 0,
    leadAgency: 'Children’s Social Care', leadOfficer: 'Rose Howley', ownerNames: ['Olu Owner'], latestNote: 'Recruitment paused over summer',
    ...over,
  };
}
const many = (n: number, over: Partial<ActionCard> = {}) => Array.from({ length: n }, (_, i) => card(i + 1, over));
const versions = (cards: ActionCard[]) => new Map(cards.map((c) => [c.actionId, 'lz1abc']));

function buttons(blocks: KnownBlock[]): Button[] {
  return blocks.flatMap((b) => (b.type === 'actions' ? (b as ActionsBlock).elements.filter((e): e is Button => e.type === 'button') : []));
}

describe('Block Kit limits', () => {
  it('a nudge for 200 actions fits in one message: 20 with buttons, the rest summarised', () => {
    const cards = many(200);
    const { text, blocks } = renderOutbound({ kind: 'nudge', reasons: ['overdue', 'update-round'], recipientName: 'Olu Owner', actions: cards, meeting: { groupName: 'Ops', date: '2026-12-03' } }, { versions: versions(cards) });
    expect(blockKitViolations(blocks)).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.messageBlocks);
    const cardsShown = blocks.filter((b) => b.block_id?.endsWith(':card'));
    expect(cardsShown).toHaveLength(NUDGE_MAX_CARDS);
    const overflow = blocks.find((b) => b.block_id === 'overflow') as SectionBlock;
    expect(overflow.text!.text).toMatch(/Also yours: 180 more actions/);
    expect(overflow.text!.text).toMatch(/…and \d+ more/);
    expect(JSON.stringify(blocks)).toContain('/brag');
    expect(text).toBe('200 actions need your update (66 overdue)');
    for (const b of buttons(blocks)) expect(b.value!.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
  });

  it('holds the limits with pathological text: 10,000-character activities, markup characters, long names', () => {
    const cards = many(60, { activity: LONG, ref: 'R'.repeat(200), groupName: 'G'.repeat(500), ownerNames: ['N'.repeat(3000)], latestNote: LONG, dueKind: 'unknown', dueDate: null, dueRaw: LONG });
    const messages = [
      renderOutbound({ kind: 'nudge', reasons: ['stale'], recipientName: 'X'.repeat(5000), actions: cards }, { versions: versions(cards) }),
      renderOutbound({ kind: 'escalation', reason: 'unanswered', recipientName: 'Maya', ownerName: 'O'.repeat(400), actions: many(200, { activity: LONG }) }),
      renderOutbound({ kind: 'digest', recipientName: 'Maya', periodLabel: 'Week to 1 Dec', actions: many(200, { latestNote: LONG }) }),
      renderOutbound({ kind: 'thread-open', groupName: LONG, meetingDate: '2026-12-03', askedNames: Array.from({ length: 500 }, (_, i) => `Person number ${i}`) }),
      renderOutbound({ kind: 'not-mine', recipientName: 'Asha', fromName: 'Olu', action: card(1, { activity: LONG }) }),
      renderOutbound({ kind: 'text', text: LONG.repeat(30) }),
    ];
    for (const m of messages) {
      expect(blockKitViolations(m.blocks)).toEqual([]);
      expect(m.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
      expect(JSON.stringify(m.blocks)).not.toMatch(/<before>/);
    }
    expect(JSON.stringify(messages[0]!.blocks)).toContain('&lt;before&gt;');
  });

  it('/brag pages 200 actions, 20 a page, with working navigation', () => {
    const cards = many(200);
    const first = renderBragList(cards, versions(cards), 0);
    const last = renderBragList(cards, versions(cards), 9);
    for (const page of [first, last, renderBragList(cards, versions(cards), 99)]) expect(blockKitViolations(page.blocks)).toEqual([]);
    expect(JSON.stringify(first.blocks)).toContain('page 1 of 10');
    expect(buttons(first.blocks).map((b) => b.action_id)).toContain('bragbot.brag_page.next');
    expect(buttons(last.blocks).map((b) => b.action_id)).not.toContain('bragbot.brag_page.next');
    expect(last.blocks.filter((b) => b.block_id?.endsWith(':card'))).toHaveLength(20);
    // Buttons on a page remember it, so an update re-renders the same page.
    expect(JSON.parse(buttons(last.blocks)[0]!.value!)).toMatchObject({ p: 9 });
  });

  it('the progress modal and the report preview stay inside their limits', () => {
    const omitted = (field: 'progress' | 'evidence') => ({ field, length: LONG.length, text: omittedFromForm(field, LONG.length) });
    const modal = progressModal({
      kind: 'form', action: { ...card(1, { activity: LONG, progress: LONG, ref: '34' }), evidence: LONG }, version: 'v1', prefill: {},
      omitted: [omitted('progress'), omitted('evidence')], limits: { progress: TEXT_LIMITS.progress, evidence: TEXT_LIMITS.evidence, note: TEXT_LIMITS.note, revisedDue: TEXT_LIMITS.revisedDue },
    }, JSON.stringify({ a: 'x' }));
    expect(blockKitViolations(modal.blocks as KnownBlock[], 'modal')).toEqual([]);
    expect(modal.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.modalTitle);
    const preview = renderReportPreview({ reportId: 'r1', groupSlug: 'ops', meetingDate: '2026-12-03', version: 2, status: 'draft', summary: LONG.repeat(10) });
    expect(blockKitViolations(preview.blocks)).toEqual([]);
  });

  it('the limit check itself catches what Slack would reject', () => {
    const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
    expect(blockKitViolations(Array.from({ length: 51 }, () => section('x')))).toContain('51 blocks > 50');
    expect(blockKitViolations([section('x'.repeat(3001))])[0]).toMatch(/text 3001 > 3000/);
    const big: Button = { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x' }, value: 'v'.repeat(2001) };
    expect(blockKitViolations([{ type: 'actions', elements: [big, { ...big, value: 'ok' }] }])).toEqual(expect.arrayContaining([expect.stringMatching(/button value/), expect.stringMatching(/duplicate action_id a/)]));
    const fitted = fitBlocks([...Array.from({ length: 60 }, () => section('y')), section('z'.repeat(5000))]);
    expect(blockKitViolations(fitted)).toEqual([]);
    expect(JSON.stringify(fitted.at(-1))).toContain('more parts not shown');
  });
});

describe('what a nudge says', () => {
  it('shows each action with ref, title, due date, BRAG as emoji + word + meaning, and days overdue', () => {
    const c = card(3, { ref: '34', activity: 'Recruit foster carers', brag: 'red', daysOverdue: 154 });
    const { blocks } = renderOutbound({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Olu', actions: [c] }, { versions: versions([c]) });
    const text = (blocks.find((b) => b.block_id === `act:${c.actionId}:card`) as SectionBlock).text!.text;
    expect(text).toContain('*34* · Recruit foster carers');
    expect(text).toContain(':red_circle: *Red* (off track)');
    expect(text).toContain('Due 30 Jun 2026');
    expect(text).toContain('*154 working days overdue*');
    expect(buttons(blocks).map((b) => b.action_id)).toEqual(['bragbot.brag.blue', 'bragbot.brag.green', 'bragbot.brag.amber', 'bragbot.brag.red', 'bragbot.progress', 'bragbot.snooze', 'bragbot.not_mine']);
    expect(buttons(blocks)[0]!.text.text).toContain('Blue (complete)');
  });

  it.each(BRAGS)('never shows %s by colour alone', (brag: Brag) => {
    const c = card(1, { brag });
    const text = JSON.stringify(renderOutbound({ kind: 'digest', recipientName: 'M', periodLabel: 'Week', actions: [c] }).blocks);
    const label = { blue: 'Blue* (complete)', red: 'Red* (off track)', amber: 'Amber* (at risk)', green: 'Green* (on track)', unrated: 'Not rated* (not yet rated)' }[brag];
    expect(text).toContain(label);
  });

  it('escapes what plans and people write', () => {
    expect(esc('Health & <CAMHS>')).toBe('Health &amp; &lt;CAMHS&gt;');
  });
});
