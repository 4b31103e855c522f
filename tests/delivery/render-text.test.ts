/**
 * The plain-text rendering of a nudge (the console port, the email's text part, the dry run):
 * counted in words that agree with the number, as the Slack and Teams cards say it.
 */
import { describe, expect, it } from 'vitest';
import type { ActionCard } from '../../src/core/chat.js';
import { renderText } from '../../src/delivery/render-text.js';

const card = (ref: string): ActionCard => ({
  actionId: `a${ref}`, groupSlug: 'york', groupName: 'York', ref, activity: `Activity ${ref}`, progress: '', dueKind: 'date', dueDate: '2021-06-30', dueRaw: '',
  brag: 'green', daysOverdue: 3, leadAgency: 'Health', leadOfficer: '', ownerNames: ['Priya Shah'], latestNote: null,
});

describe('renderText', () => {
  it('says "1 of your actions needs" and "2 of your actions need"', () => {
    const one = renderText({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Priya Shah', actions: [card('1')] });
    const two = renderText({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Priya Shah', actions: [card('1'), card('2')] });
    expect(one).toMatch(/^Hello Priya Shah, 1 of your actions needs a look \(/);
    expect(two).toMatch(/^Hello Priya Shah, 2 of your actions need a look \(/);
  });
});
