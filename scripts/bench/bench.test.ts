import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../devstack/ports.ts';

// The smoke test of `npm run bench` (issue 9 point 1): the whole command at a tiny scale on servers of its own
// (its own embedded PostgreSQL, Temporal dev server, worker and API on free ports), then the results file: its
// sections, the storm's four concurrency levels, and every accepted check-in present exactly once. Figures are
// never asserted.
const root = join(import.meta.dirname, '..', '..');
const SCALE = '0.002'; // 1 unit, 40 persons

describe('npm run bench', () => {
  let dataDir: string | undefined;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('loads a small province, storms its check-ins through the API and writes the results file', {
    timeout: 300_000,
  }, async () => {
    dataDir = await mkdtemp(join(root, '.tools', 'tmp', 'bench-'));
    const out = join(dataDir, 'results');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TZ: 'UTC',
      WOMS_DATA_DIR: dataDir,
      BENCH_PG_PORT: String(await freePort()),
      BENCH_TEMPORAL_PORT: String(await freePort()),
      BENCH_API_PORT: String(await freePort()),
    };
    // the embedded default, not the servers the other tests share
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    const child = spawn(
      process.execPath,
      [join(root, 'scripts', 'bench.ts'), '--scale', SCALE, '--samples', '3', '--out', out],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout.on('data', (b: Buffer) => {
      log += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      log += b.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, log.slice(-4000)).toBe(0);

    const files = await readdir(out);
    expect(files).toEqual([`${new Date().toISOString().slice(0, 10)}-${SCALE}.md`]);
    const text = await readFile(join(out, files[0]!), 'utf8');
    for (const section of [
      '## Servers',
      '## Province',
      '## Monthly opening',
      '## Check-in storm',
      '## Exactly once',
      '## Floors',
      '## Reads',
    ])
      expect(text).toContain(section);
    expect(text).toContain('embedded Temporal dev server');
    expect(text).toContain('embedded PostgreSQL');
    expect(text).toMatch(/40 check-in workflows opened/);

    // The storm's table: one row per concurrency level, every check-in of the level accepted.
    const storm = text.split('## Check-in storm')[1]!.split('## ')[0]!;
    const rows = storm
      .split('\n')
      .filter((l) => /^\| \d+ \|/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()));
    expect(rows.map((r) => r[1])).toEqual(['1', '4', '16', '64']);
    const acceptedInTable = rows.reduce((n, r) => n + Number(r[3]), 0);
    expect(rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(40);

    // Every accepted check-in present exactly once (SUBMITTED, one frozen version, one submit audit entry).
    const once = /Accepted check-ins: (\d+); present exactly once[^:]*: (\d+)\./.exec(text);
    expect(once).not.toBeNull();
    expect(Number(once![1])).toBe(acceptedInTable);
    expect(Number(once![1])).toBe(40);
    expect(Number(once![2])).toBe(Number(once![1]));

    // The floors and reads are figures, with a ratio each.
    expect(text).toMatch(/\| Bare Temporal Update round-trip \(same server\) \| 3 \|/);
    expect(text).toMatch(/\| Hand-written province dashboard SQL \| 3 \|/);
    expect(text).toMatch(/\| Province dashboard \(GET \/api\/dashboards\/province\) \| 3 \| 200 \|/);
  });
});
