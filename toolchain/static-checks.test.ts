import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// TypeScript strict everywhere and one lint/format setup (Biome): both are part of `npm test`.
const root = join(import.meta.dirname, '..');
const run = (args: string[], cwd = root) =>
  spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });

describe('static checks', () => {
  it('type-checks the server code with strict settings', { timeout: 300_000 }, () => {
    const r = run([
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--noEmit',
      '-p',
      'tsconfig.json',
    ]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('type-checks the web app (svelte-check)', { timeout: 300_000 }, () => {
    const r = spawnSync('npm', ['run', 'check', '-w', 'web', '--silent'], {
      cwd: root,
      encoding: 'utf8',
      env: process.env,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('passes Biome lint and format checks', { timeout: 120_000 }, () => {
    const r = run([
      join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome'),
      'check',
      '--max-diagnostics=20',
      '.',
    ]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
