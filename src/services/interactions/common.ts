/** What the interaction modules share: refusals and their sentences, the acting person. */
import { notAPerson, type Caller, type Decision, type Denial } from '../access.js';
import { PLAIN, type SentenceStyle } from './style.js';
import type { Refused } from './types.js';

/** A refusal's sentence; a write adds that nothing was changed. */
export function describeRefusal(r: Pick<Refused, 'reason'>, style: SentenceStyle, write: boolean): string {
  return `${style.icon('refused')}${style.text(r.reason)}${write ? ' Nothing was changed.' : ''}`;
}

export function refused(d: Denial, write: boolean): Refused {
  return { kind: 'refused', code: d.code, reason: d.reason, text: describeRefusal(d, PLAIN, write) };
}

/** The person a change is recorded as; the CLI operator has none, so it cannot click buttons. */
export function actingPersonId(caller: Caller): string | null {
  return caller.kind === 'person' ? caller.personId : null;
}

export const NO_PERSON: Denial = notAPerson({ kind: 'operator' });

export type Allowed<T> = Extract<Decision<T>, { allowed: true }>;

/** An outcome without its sentence (the facts), for any union of outcomes. */
export type WithoutText<T> = T extends unknown ? Omit<T, 'text'> : never;

/** Adds the plain sentence to an outcome's facts. */
export function withText<T extends { text: string }>(facts: WithoutText<T>, describe: (o: T, s: SentenceStyle) => string): T {
  const o = { ...facts, text: '' } as unknown as T;
  o.text = describe(o, PLAIN);
  return o;
}
