// The API's configuration from the environment: defaults, and a mistyped setting refused at start.
import { describe, expect, it } from 'vitest';
import { apiConfig } from './config.ts';

const base = { DATABASE_URL: 'postgres://x@127.0.0.1/woms' };

describe('apiConfig', () => {
  it('needs a database and takes the defaults', () => {
    expect(() => apiConfig({})).toThrow(/DATABASE_URL/);
    expect(apiConfig(base)).toMatchObject({ port: 8787, evidence: undefined, webUrl: undefined });
  });

  it('takes an evidence limit in bytes and refuses one that is not a whole number in range', () => {
    expect(apiConfig({ ...base, EVIDENCE_MAX_BYTES: '2000000' }).evidence).toEqual({ maxBytes: 2_000_000 });
    for (const bad of ['10M', '-1', '0', '1.5', String(51 * 1024 * 1024)])
      expect(() => apiConfig({ ...base, EVIDENCE_MAX_BYTES: bad }), bad).toThrow(/EVIDENCE_MAX_BYTES/);
  });
});
