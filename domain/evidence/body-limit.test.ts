// The web app's body limit follows the evidence limit (one setting): a file just above the evidence limit still
// reaches the API (which answers EVIDENCE_TOO_LARGE), and the plan workbook import keeps its 6 MiB.
import { describe, expect, it } from 'vitest';
import { evidenceMaxBytesOf, webBodySizeLimit, webBodySizeLimitEnv } from './body-limit.ts';

const MiB = 1024 * 1024;

describe('the web body limit', () => {
  it('reads EVIDENCE_MAX_BYTES as the API does: 10 MiB by default, at most 50 MiB', () => {
    expect(evidenceMaxBytesOf({})).toBe(10 * MiB);
    expect(evidenceMaxBytesOf({ EVIDENCE_MAX_BYTES: '200000' })).toBe(200_000);
    expect(evidenceMaxBytesOf({ EVIDENCE_MAX_BYTES: 'lots' })).toBe(10 * MiB);
    expect(evidenceMaxBytesOf({ EVIDENCE_MAX_BYTES: '-5' })).toBe(10 * MiB);
    expect(evidenceMaxBytesOf({ EVIDENCE_MAX_BYTES: String(80 * MiB) })).toBe(50 * MiB);
  });

  it('is the evidence limit plus room for the form, never below the workbook import', () => {
    expect(webBodySizeLimit(10 * MiB)).toBe(11 * MiB);
    expect(webBodySizeLimit(10 * MiB)).toBeGreaterThan(10 * MiB + 64 * 1024);
    expect(webBodySizeLimit(200_000)).toBe(6 * MiB);
    expect(webBodySizeLimitEnv({})).toBe(String(11 * MiB));
    expect(webBodySizeLimitEnv({ EVIDENCE_MAX_BYTES: String(20 * MiB) })).toBe(String(21 * MiB));
    // an explicit BODY_SIZE_LIMIT wins
    expect(webBodySizeLimitEnv({ BODY_SIZE_LIMIT: '8M', EVIDENCE_MAX_BYTES: String(20 * MiB) })).toBe('8M');
  });
});
