/** One wording for an action's history on every surface (Slack, Teams, the web plan page). */
import { describe, expect, it } from 'vitest';
import { SLACK_STYLE } from '../../src/adapters/slack/render/style.js';
import { TEAMS_STYLE } from '../../src/adapters/teams/cards/style.js';
import { describeUpdateChange, describeUpdateWho, type HistoryUpdate } from '../../src/services/interactions/history-line.js';
import { PLAIN } from '../../src/services/interactions/style.js';

const base: HistoryUpdate = { actorName: 'Asha <Chair>', at: new Date('2026-07-01T09:05:00Z'), kind: 'update', fromBrag: 'green', toBrag: 'amber', note: null, toProgress: null, revisedDueRaw: null, channel: 'slack' };

describe('a history line', () => {
  it('says the status change, then what else changed, then the note, the same on every surface', () => {
    const u = { ...base, toProgress: 'Figures due', revisedDueRaw: 'March 2027', note: 'Waiting on\nhealth' };
    expect(describeUpdateChange(u, PLAIN, 200)).toBe('Green to Amber; progress updated, new date March 2027: “Waiting on health”');
    expect(describeUpdateChange(u, TEAMS_STYLE, 200)).toBe('Green to **Amber**; progress updated, new date March 2027: “Waiting on health”');
    expect(describeUpdateChange(u, SLACK_STYLE, 200)).toBe('Green to *Amber*; progress updated, new date March 2027: “Waiting on health”');
  });

  it('names only what changed: progress alone, a note alone, a hand-back, an import', () => {
    expect(describeUpdateChange({ ...base, toBrag: 'green', toProgress: 'x' }, PLAIN, 200)).toBe('progress updated');
    expect(describeUpdateChange({ ...base, toBrag: 'green', note: 'Chased' }, PLAIN, 200)).toBe('updated: “Chased”');
    expect(describeUpdateChange({ ...base, kind: 'not-mine', toBrag: 'green', note: 'Health lead it' }, PLAIN, 200)).toBe('said it is not theirs: “Health lead it”');
    expect(describeUpdateChange({ ...base, kind: 'import', toBrag: 'green' }, PLAIN, 200)).toBe('imported');
    expect(describeUpdateChange({ ...base, fromBrag: 'unrated', toBrag: 'blue' }, PLAIN, 200)).toBe('Not rated to Blue');
    // A status the code does not know (an old row): shown as stored rather than dropped.
    expect(describeUpdateChange({ ...base, fromBrag: 'purple', toBrag: 'amber' }, PLAIN, 200)).toBe('purple to Amber');
  });

  it('escapes people’s text for the surface and cuts a long note where the surface says', () => {
    const long = { ...base, actorName: '<@U123> *bold*', note: `<!channel> ${'word '.repeat(100)}` };
    const slack = `${describeUpdateWho(long, SLACK_STYLE)}: ${describeUpdateChange(long, SLACK_STYLE, 60)}`;
    expect(slack).not.toContain('<@U123>');
    expect(slack).not.toContain('<!channel>');
    expect(slack.length).toBeLessThan(200);
    expect(describeUpdateWho(base, PLAIN)).toBe('Wed 1 Jul 2026 10:05, Asha <Chair> (slack)');
  });
});
