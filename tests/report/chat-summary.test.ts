/**
 * The chair's preview in chat (Slack section text, the Teams report card): a long overdue list
 * must not push the Red and Amber list out ("Red and Amber (1)" followed only by "…and 1 more"),
 * and refs must read as refs, never as Markdown list numbers.
 */
import { describe, expect, it } from 'vitest';
import { renderReportCard } from '../../src/adapters/teams/cards/report.js';
import { assembleReport } from '../../src/core/report/assemble.js';
import type { ActionInput, ReportInputs } from '../../src/core/report/types.js';
import { renderChatSummary, SLACK_SECTION_TEXT_LIMIT, TEAMS_CARD_TEXT_LIMIT } from '../../src/render/chat.js';

const NOW = new Date('2021-01-13T12:00:00Z');

function action(i: number, extra: Partial<ActionInput> = {}): ActionInput {
  return {
    id: `a${i}`, ref: String(i), position: i, objective: null, progress: '', brag: 'green',
    activity: `Promote and support the use of the Mind of My Own app across all teams, including residential provision, number ${i}`,
    dueKind: 'date', dueDate: '2020-11-30', dueRaw: '30/11/20', leadAgency: "Children's Social Care", leadOfficer: '',
    ownerNames: [], firstSeenAt: new Date('2020-01-01T00:00:00Z'), archivedAt: null, ...extra,
  };
}

function report() {
  const actions = Array.from({ length: 60 }, (_, i) => action(i + 1));
  actions.push(action(61, { brag: 'red', activity: 'Sufficiency strategy for residential placements', dueDate: '2021-06-30', dueRaw: '30/06/21' }));
  actions.push(action(62, { brag: 'amber', activity: 'Recruit two social workers', dueDate: '2021-06-30', dueRaw: '30/06/21' }));
  const inputs: ReportInputs = {
    group: { slug: 'cicp', name: 'Strategic Partnership', reportsToName: null },
    meeting: { date: '2021-01-13', title: null },
    previousMeetingDate: null,
    previousReport: null,
    settings: {},
    sections: [],
    actions,
    updates: [],
    asked: [{ personId: 'p1', name: 'Silent Lead', team: 'Virtual School', reachable: true }],
    signOff: null,
    convenorPersonIds: [],
    region: 'ENG',
  };
  return assembleReport(inputs, NOW);
}

describe('chat summary lists share the room', () => {
  it.each([
    ['markdown', TEAMS_CARD_TEXT_LIMIT],
    ['slack-mrkdwn', SLACK_SECTION_TEXT_LIMIT],
  ] as const)('%s: with 60 overdue actions the Red and Amber items and the not-replied list still show', (flavour, maxChars) => {
    const text = renderChatSummary(report(), { flavour, maxChars });
    expect(text.length).toBeLessThanOrEqual(maxChars);
    const bullet = flavour === 'markdown' ? '-' : '•';
    expect(text).toContain(`Red and Amber (2)`);
    expect(text).toContain(`${bullet} Red, Ref 61: Sufficiency strategy for residential placements`);
    expect(text).toContain(`${bullet} Amber, Ref 62: Recruit two social workers`);
    expect(text).toContain(`${bullet} Silent Lead (Virtual School)`);
    // The overdue list gets what room is left, and says how many more there are.
    expect(text).toMatch(/…and \d+ more/);
    expect(text).toContain(`${bullet} Ref 1: `);
    // No item starts with a number a Markdown renderer would take for a list number.
    expect(text).not.toMatch(new RegExp(`^\\${bullet} \\d+[.)] `, 'm'));
  });

  it('the Teams report card prints every shown ref as written', () => {
    const summary = renderChatSummary(report(), { flavour: 'markdown', maxChars: TEAMS_CARD_TEXT_LIMIT });
    const card = renderReportCard({ reportId: 'r1', groupSlug: 'cicp', meetingDate: '2021-01-13', version: 1, status: 'draft', summary });
    const texts = JSON.stringify(card.body);
    const shown = [...summary.matchAll(/^- Ref (\d+):/gm)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThan(5);
    for (const ref of shown) expect(texts).toContain(`Ref ${ref}:`);
  });
});
