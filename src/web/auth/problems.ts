/** What a sign-in that did not work says: in words, with what to do next; none of them writes anything. */
import { html } from '../html.js';
import type { PageContent } from '../layout.js';

export type SignInProblem = 'not-started' | 'turned-down' | 'unverified' | 'no-address' | 'unknown-person' | 'unavailable' | 'signed-out' | 'csrf';

const PROBLEMS: Record<SignInProblem, { status: number; title: string; says: string }> = {
  'not-started': { status: 400, title: 'This sign-in could not be finished', says: 'This sign-in was not started in this browser, took longer than ten minutes, or has already been finished. You are not signed in and nothing was recorded. Sign in again.' },
  'turned-down': { status: 403, title: 'The sign-in service turned this sign-in down', says: 'The sign-in service did not accept this sign-in (it may have been cancelled, or its answer was already used once). You are not signed in and nothing was recorded. Sign in again.' },
  unverified: { status: 403, title: 'This sign-in could not be checked', says: 'The answer from the sign-in service did not pass bragbot’s checks (it may have been altered, replayed, or sent by another service). You are not signed in and nothing was recorded. Sign in again.' },
  'no-address': { status: 403, title: 'Your account has no email address', says: 'The sign-in service did not give bragbot an email address for you, and bragbot knows people by their work email. You are not signed in and nothing was recorded. Ask your IT team to send the email claim, or use the links in your messages.' },
  'unknown-person': { status: 403, title: 'bragbot does not know you yet', says: 'No one with the email address you signed in with is a person in this bragbot. No account was made and nothing was recorded. Ask your group’s chair or an admin to add you with your work email; the links in your messages still work.' },
  unavailable: { status: 503, title: 'Sign-in is not available just now', says: 'bragbot cannot reach the sign-in service at the moment. Nothing was recorded. Try again in a few minutes; the links in your messages still work.' },
  'signed-out': { status: 401, title: 'Sign in to see your actions', says: 'You are not signed in, or your sign-in has run out. Sign in with your work account to see the actions you own; the links in your messages work without signing in.' },
  csrf: { status: 403, title: 'This form could not be accepted', says: 'The form was not sent from this page as it was shown (it may be old, or cookies may be blocked). Nothing was recorded. Open the page again and send the form from there.' },
};

export function signInProblemPage(problem: SignInProblem, extra = html``): PageContent & { status: number } {
  const p = PROBLEMS[problem];
  return { status: p.status, title: p.title, main: html`<div class="notice problem" role="alert"><p>${p.says}</p></div>${extra}` };
}

export const signInSentence = (problem: SignInProblem): string => PROBLEMS[problem].says;
