import { describe, expect, it } from 'vitest';
import { stormShares } from './run.ts';

describe('stormShares', () => {
  it('gives each concurrency level a share proportional to it, every person once', () => {
    expect(stormShares(20_000)).toEqual([235, 941, 3765, 15_059]);
    expect(stormShares(2000)).toEqual([50, 94, 376, 1480]);
  });

  it('keeps at least 50 a level, or an even quarter of a small province', () => {
    expect(stormShares(600)).toEqual([50, 50, 113, 387]);
    expect(stormShares(40)).toEqual([10, 10, 10, 10]);
    for (const n of [4, 41, 333, 20_001]) expect(stormShares(n).reduce((a, x) => a + x, 0)).toBe(n);
  });
});
