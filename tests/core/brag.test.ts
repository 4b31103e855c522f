import { describe, expect, it } from 'vitest';
import { parseBrag } from '../../src/core/brag.js';

describe('parseBrag', () => {
  it.each([
    ['Green', 'green', false],
    ['RED', 'red', false],
    ['Amber', 'amber', false],
    ['Blue', 'blue', false],
    [' green. ', 'green', false],
    ['', 'unrated', false],
    ['Complete', 'blue', true],
    ['G', 'green', true],
    ['Amber/Green', 'amber', true], // split rating: the worse one, flagged
    ['Red - Amber', 'red', true],
  ] as const)('%j → %s (guessed %s)', (raw, brag, guessed) => {
    expect(parseBrag(raw)).toEqual({ ok: true, brag, guessed });
  });

  it.each(['Purple', 'n/a', '5'])('refuses %j with a message naming the value', (raw) => {
    const r = parseBrag(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(raw);
  });
});
