/**
 * A fingerprint of everything a report is assembled from, plus the London date it is for
 * (days overdue change at midnight). Regenerating with the same fingerprint cannot change the
 * paper, so the stored version is reused instead of piling up identical versions.
 */
import { createHash } from 'node:crypto';
import { londonDate } from './dates.js';
import type { ReportInputs } from './types.js';

/** JSON with object keys sorted, so the hash does not depend on property order. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

export function reportInputsHash(inputs: ReportInputs, now: Date): string {
  const sorted = {
    ...inputs,
    // Only what is visible at `now`: a reply or update from later must not make an as-of report look changed.
    sections: inputs.sections.filter((s) => s.postedAt <= now).sort((a, b) => a.id.localeCompare(b.id)),
    actions: [...inputs.actions].sort((a, b) => a.id.localeCompare(b.id)),
    updates: inputs.updates.filter((u) => u.at <= now).sort((a, b) => a.at.getTime() - b.at.getTime() || a.actionId.localeCompare(b.actionId)),
    asked: [...inputs.asked].sort((a, b) => a.personId.localeCompare(b.personId)),
  };
  return createHash('sha256').update(stableStringify({ v: 1, asOfDate: londonDate(now), inputs: sorted })).digest('hex');
}

/**
 * A fingerprint of the paper itself (and the chair's lists that come with it). Two generations
 * with the same fingerprint would store the same paper, so the latest version is kept: this is
 * what stops a past meeting's paper, regenerated after later clicks and re-imports (which change
 * the inputs but, rebuilt as at the meeting's cut-off, not the paper), from piling a new version
 * over the published one.
 */
export function reportContentHash(content: unknown): string {
  // The instant is left out, its London date kept: the paper for the next meeting asked for at
  // 09:00 and again at 15:00 with nothing changed between is the same paper (it prints the date).
  const { asOf: _instant, ...paper } = (content ?? {}) as Record<string, unknown>;
  return createHash('sha256').update(stableStringify({ v: 2, content: paper })).digest('hex');
}
