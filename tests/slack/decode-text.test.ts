/** The Slack text decoder on its own: every reference form Slack writes, and what it must leave alone. */
import { describe, expect, it } from 'vitest';
import { decodeSlackText, mentionedUserIds } from '../../src/adapters/slack/decode-text.js';

const names = new Map([['U0OLU', 'Olu Owner']]);
const decode = (s: string) => decodeSlackText(s, (id) => names.get(id));

describe('decodeSlackText', () => {
  it.each([
    ['Fostering &amp; Adoption', 'Fostering & Adoption'],
    ['a &lt; b &gt; c', 'a < b > c'],
    ['typed literally: &amp;lt;', 'typed literally: &lt;'],
    ['&quot;kept&quot; &nbsp;', '&quot;kept&quot; &nbsp;'],
    ['<@U0OLU> said', 'Olu Owner said'],
    ['<@U0OLU|olu> said', 'Olu Owner said'],
    ['<@U0GONE> said', 'someone said'],
    ['<@U0GONE|sam.s> said', 'sam.s said'],
    ['<@W0ENTERPRISE>', 'someone'],
    ['in <#C0ABC|cic-partnership>', 'in #cic-partnership'],
    ['in <#C0ABC>', 'in a channel'],
    ['<!here> <!channel> <!everyone> <!here|here>', '@here @channel @everyone @here'],
    ['<!subteam^S0LEADS|@leads> <!subteam^S0LEADS>', '@leads a user group'],
    ['<!date^1610496000^{date_short}|13 Jan 2021>', '13 Jan 2021'],
    ['<!date^1610496000^{date_short}>', '13 Jan 2021'],
    ['<https://york.gov.uk/plan?a=1&amp;b=2|the plan>', 'the plan (https://york.gov.uk/plan?a=1&b=2)'],
    ['<https://york.gov.uk/plan>', 'https://york.gov.uk/plan'],
    ['<https://york.gov.uk|york.gov.uk>', 'https://york.gov.uk'],
    ['<mailto:team@york.gov.uk|team@york.gov.uk>', 'team@york.gov.uk'],
    ['<tel:+441904551550|01904 551550>', '01904 551550 (tel:+441904551550)'],
    ['<https://x.gov.uk|R&amp;D &lt;2&gt;>', 'R&D <2> (https://x.gov.uk)'],
    ['not Slack’s: <b>bold</b> <20 and >10', 'not Slack’s: <b>bold</b> <20 and >10'],
  ])('%j → %j', (input, expected) => {
    expect(decode(input)).toBe(expected);
  });

  it('lists the member ids to look up, once each', () => {
    expect(mentionedUserIds('<@U0A> <@U0B|b> <@U0A> <#C0X> <!here>')).toEqual(['U0A', 'U0B']);
  });
});
