// domain/ must stay pure: no node: imports, no process.env, no clocks, no randomness (safe in workflows).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dirs = [import.meta.dirname, join(import.meta.dirname, '..', 'rulesets')];
const sources = dirs.flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => ({ f, text: readFileSync(join(d, f), 'utf8') })),
);

describe('scoring and rule sets are pure', () => {
  it.each(sources.map((s) => [s.f, s.text]))('%s has no I/O, env, clock or randomness', (_f, text) => {
    expect(text).not.toMatch(
      /from 'node:|require\(|process\.env|Date\.now|new Date\(|Math\.random|structuredClone\(/,
    );
  });
});
