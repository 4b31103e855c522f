/** The plan as it stood at an instant (src/core/history.ts): baseline, later changes, archiving. */
import { describe, expect, it } from 'vitest';
import { existedAt, isBaseline, lastReportedAt, latestNoteAt, stateAt, type HistoryEntry } from '../../src/core/history.js';

const at = (iso: string) => new Date(iso);
const now = { brag: 'blue' as const, dueRaw: '30/09/21', dueDate: '2021-09-30', dueKind: 'date' as const, progress: 'Done and signed off' };
const history: HistoryEntry[] = [
  // Listed out of order on purpose: the rebuild sorts by time.
  { at: at('2021-05-01T10:00:00Z'), fromBrag: 'amber', toBrag: 'blue', fromProgress: 'Slipping', toProgress: 'Done and signed off', fromDueRaw: null, revisedDueRaw: null, revisedDueDate: null, note: 'Signed off' },
  { at: at('2021-03-01T10:00:00Z'), fromBrag: 'green', toBrag: 'amber', fromProgress: 'Started', toProgress: 'Slipping', fromDueRaw: '30/06/21', revisedDueRaw: '30/09/21', revisedDueDate: '2021-09-30', note: 'Recruitment paused' },
];

describe('stateAt', () => {
  it('before any change: what the first change says it was; between: what the last change made it', () => {
    expect(stateAt(now, history, at('2021-02-01T00:00:00Z'))).toEqual({ brag: 'green', progress: 'Started', dueRaw: '30/06/21', dueDate: '2021-06-30', dueKind: 'date' });
    expect(stateAt(now, history, at('2021-04-01T00:00:00Z'))).toEqual({ brag: 'amber', progress: 'Slipping', dueRaw: '30/09/21', dueDate: '2021-09-30', dueKind: 'date' });
    expect(stateAt(now, history, at('2021-06-01T00:00:00Z'))).toEqual(now);
    expect(latestNoteAt(history, at('2021-04-01T00:00:00Z'))).toBe('Recruitment paused');
    expect(lastReportedAt(history, at('2021-04-01T00:00:00Z'))).toEqual(at('2021-03-01T10:00:00Z'));
    expect(lastReportedAt(history, at('2021-01-01T00:00:00Z'))).toBeNull();
  });

  it("the first import is the baseline; a later import's actions start then; archived ones exist until then", () => {
    const firstImport = at('2021-02-20T10:00:00Z');
    const baseline = { baseline: isBaseline(firstImport, firstImport), firstSeenAt: firstImport, archivedAt: at('2021-03-20T10:00:00Z') };
    const added = { baseline: isBaseline(at('2021-03-20T10:00:00Z'), firstImport), firstSeenAt: at('2021-03-20T10:00:00Z'), archivedAt: null };
    expect(baseline.baseline).toBe(true);
    expect(added.baseline).toBe(false);
    expect(existedAt(baseline, at('2020-12-31T00:00:00Z'))).toBe(true);
    expect(existedAt(baseline, at('2021-03-19T23:59:59Z'))).toBe(true);
    expect(existedAt(baseline, at('2021-03-20T10:00:00Z'))).toBe(false);
    expect(existedAt(added, at('2021-03-19T23:59:59Z'))).toBe(false);
    expect(existedAt(added, at('2021-03-20T10:00:00Z'))).toBe(true);
    // A group never imported has no baseline instant: its actions always were.
    expect(isBaseline(at('2026-12-01T00:00:00Z'), null)).toBe(true);
  });
});
