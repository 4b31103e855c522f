/**
 * The pages that say why a link does nothing: each in words, each with what to do next, and
 * none of them writes anything. One sentence per problem, so tests and people see the same.
 */
import { html } from './html.js';
import type { PageContent } from './layout.js';

export type Problem = 'tampered' | 'unknown' | 'expired' | 'used' | 'foreign' | 'someone-else' | 'csrf' | 'rate-limited' | 'not-a-page' | 'not-found' | 'too-large';

const PROBLEMS: Record<Problem, { status: number; title: string; says: string }> = {
  tampered: { status: 400, title: 'This link does not work', says: 'The link is not complete or has been changed, so nothing can be done with it. Open it again from the message you were sent, copying the whole address, or ask your group’s chair for a new one.' },
  unknown: { status: 404, title: 'This link does not work', says: 'bragbot does not know this link (it may have been withdrawn). Ask your group’s chair for a new one.' },
  expired: { status: 410, title: 'This link has expired', says: 'Links in messages work for a limited time, and this one has run out. Nothing was recorded. The next reminder will bring a new link, or ask your group’s chair.' },
  used: { status: 409, title: 'This link has already been used', says: 'A link records one change, and a change was already recorded with this one. Nothing more was recorded. Use the link on the page that confirmed your change, or the one in your next message.' },
  foreign: { status: 403, title: 'This link is not for this organisation', says: 'This link belongs to another organisation, so bragbot cannot act on it for you. Nothing was recorded.' },
  'someone-else': { status: 403, title: 'This link was sent to someone else', says: 'You are signed in as a different person from the one this link was sent to. Nothing was recorded. Use the link in your own message, or sign out and open it again.' },
  csrf: { status: 403, title: 'This form could not be accepted', says: 'The form was not sent from this page as it was shown (it may be old, or cookies may be blocked). Nothing was recorded. Open the link again and send the form from there.' },
  'rate-limited': { status: 429, title: 'Too many requests with this link', says: 'This link was used too many times in a minute. Nothing more was recorded. Wait a minute and open it again.' },
  'not-a-page': { status: 404, title: 'This link opens nothing here', says: 'This bragbot has no page for what the link was made for. Ask your group’s chair.' },
  'not-found': { status: 404, title: 'Page not found', says: 'There is no page at this address. Open the link in the message you were sent.' },
  'too-large': { status: 413, title: 'That was too long', says: 'The form sent more than a page accepts. Nothing was recorded. Shorten what you wrote and send it again.' },
};

export function problemPage(problem: Problem): PageContent & { status: number } {
  const p = PROBLEMS[problem];
  return { status: p.status, title: p.title, main: html`<div class="notice problem" role="alert"><p>${p.says}</p></div>` };
}

export const problemSentence = (problem: Problem): string => PROBLEMS[problem].says;
