import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isListening } from '../../devstack/ports.ts';

// The smoke test of `npm run bench` (issue 9 point 1): the whole command at a tiny scale on servers of its own
// (its own embedded PostgreSQL, Temporal dev server, worker and API on free ports), then the results file: its
// sections, the storm's four concurrency levels, and every accepted check-in present exactly once; the giao ban
// dossier read, the simulated year's history lengths, the processes' peak memory and the database size appear with
// numbers, and the outbox's mail delivered to the bench's SMTP sink. Figures are never asserted. A second run is
// stopped by SIGTERM once its servers are up: it stops its children and servers (their ports close) before it exits.
const root = join(import.meta.dirname, '..', '..');
const SCALE = '0.002'; // 1 unit, 40 persons

describe('npm run bench', () => {
  let dataDir: string | undefined;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const benchEnv = async (dir: string) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TZ: 'UTC',
      WOMS_DATA_DIR: dir,
      BENCH_PG_PORT: String(await freePort()),
      BENCH_TEMPORAL_PORT: String(await freePort()),
      BENCH_API_PORT: String(await freePort()),
    };
    // the embedded default, not the servers the other tests share
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    return env;
  };

  it('loads a small province, storms its check-ins through the API and writes the results file', {
    timeout: 600_000,
  }, async () => {
    dataDir = await mkdtemp(join(root, '.tools', 'tmp', 'bench-'));
    const out = join(dataDir, 'results');
    const env = await benchEnv(dataDir);
    const child = spawn(
      process.execPath,
      [
        join(root, 'scripts', 'bench.ts'),
        '--scale',
        SCALE,
        '--samples',
        '3',
        '--out',
        out,
        // the simulated year's smallest sample: one unit, three people, one month (then the year-end)
        '--year-units',
        '1',
        '--year-people',
        '3',
        '--year-months',
        '11',
      ],
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
      '## Giao ban dossier',
      '## Simulated year',
      '### History length per workflow run',
      '## Memory',
      '## CPU time',
      '## Database',
    ])
      expect(text).toContain(section);
    expect(text).toContain('embedded Temporal dev server');
    expect(text).toContain('embedded PostgreSQL');
    // the outbox delivered to the bench's SMTP sink (the opening's "new task" mails at least), not retried
    const mail = /SMTP sink[^\n]*: (\d+) messages by the end of the run/.exec(text);
    expect(mail).not.toBeNull();
    expect(Number(mail![1])).toBeGreaterThan(0);
    expect(text).toMatch(/40 check-in workflows opened/);
    // the drafts and the storm waited for every submit task the opening's workflows open
    expect(text).toMatch(/40 of the 40 submit tasks open in the inbox \d+(\.\d+)? s after/);

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

    // The giao ban dossier: frozen for the unit, read through the API (PDF and the session's JSON), with a ratio
    // to the SELECT of the frozen file.
    const num = String.raw`\d+(?:\.\d+)?`;
    expect(text).toMatch(
      new RegExp(
        String.raw`\| A unit's giao ban dossier PDF \(GET [^|]+\) \| 3 \| 200 \| ${num} \| ${num} \| ${num} \| ${num}× \| dossier SQL \|`,
      ),
    );
    expect(text).toMatch(
      new RegExp(
        String.raw`\| The giao ban session with its dossiers, JSON \(GET [^|]+\) \| 3 \| 200 \| ${num} \|`,
      ),
    );
    const dossier = text.split('## Giao ban dossier')[1]!.split('## ')[0]!;
    expect(dossier).toMatch(/Session \d{4}-(Q[1-4]|year) .* 1 dossiers in/);
    expect(dossier).toMatch(
      new RegExp(String.raw`\| Hand-written SELECT of one unit's frozen dossier PDF \| 3 \| ${num} \|`),
    );

    // The simulated year: one unit, three people, November's check-ins verified; the history lengths by workflow
    // type (the check-in workflow's among them, every run with events).
    const year = text.split('## Simulated year')[1]!.split('\n## ')[0]!;
    const count = (what: string) => Number(new RegExp(String.raw`\| ${what} \| (\d+) \|`).exec(year)?.[1]);
    expect(count('units')).toBe(1);
    expect(count('people')).toBe(3);
    expect(count('check-ins verified')).toBe(3);
    const histories = year
      .split('### History length per workflow run')[1]!
      .split('\n')
      .filter((l) => /^\| [a-zA-Z]+Workflow \|/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()));
    const checkInRuns = histories.find((h) => h[1] === 'checkInWorkflow');
    expect(checkInRuns, year).toBeDefined();
    expect(Number(checkInRuns![2])).toBeGreaterThanOrEqual(3);
    for (const h of histories) {
      expect(Number(h[4]), h.join('|')).toBeGreaterThan(0); // events p50
      expect(Number(h[6])).toBeGreaterThanOrEqual(Number(h[4])); // max ≥ p50
    }

    // Peak memory of the worker and the API (MiB), and the database's size with its largest tables.
    for (const proc of ['Worker \\(worker/main.ts\\)', 'API \\(api/main.ts\\)'])
      expect(text).toMatch(new RegExp(String.raw`\| ${proc} \| ${num} \|`));
    // CPU seconds per process and phase: the storm's phase spent CPU in the worker, the API and PostgreSQL.
    const cpu = text.split('## CPU time')[1]!.split('\n## ')[0]!;
    const header = cpu.split('\n').find((l) => l.startsWith('| Phase |'))!;
    const columns = header.split('|').map((c) => c.trim());
    const stormPhase = cpu.split('\n').find((l) => l.startsWith('| after the drafts → after the storm |'));
    expect(stormPhase, cpu).toBeDefined();
    const cells = stormPhase!.split('|').map((c) => c.trim());
    for (const proc of [
      'Worker (worker/main.ts)',
      'API (api/main.ts)',
      'PostgreSQL (postmaster and backends)',
    ])
      expect(Number(cells[columns.indexOf(proc)]), `${proc} in ${stormPhase}`).toBeGreaterThan(0);
    expect(Number(cells.at(-2))).toBeGreaterThan(0); // cores busy
    const database = text.split('## Database')[1]!.split('## ')[0]!;
    expect(database).toMatch(
      new RegExp(
        String.raw`pg_database_size\): ${num} MiB after the storm and the reads, ${num} MiB at the end`,
      ),
    );
    const tables = database
      .split('\n')
      .filter((l) => new RegExp(String.raw`^\| [a-z_]+ \| ${num} \| \d+ \|$`).test(l));
    expect(tables.length, database).toBeGreaterThanOrEqual(5);
  });

  it('stops its children and servers on SIGTERM', { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(join(root, '.tools', 'tmp', 'bench-stop-'));
    try {
      const env = await benchEnv(dir);
      const ports = [env.BENCH_PG_PORT, env.BENCH_TEMPORAL_PORT, env.BENCH_API_PORT].map(Number);
      const child = spawn(
        process.execPath,
        [join(root, 'scripts', 'bench.ts'), '--scale', SCALE, '--out', join(dir, 'results')],
        { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let log = '';
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      // once the month's opening starts, every server and child is up
      await new Promise<void>((resolve, reject) => {
        const onData = (b: Buffer) => {
          log += b.toString();
          if (log.includes('[bench] opening')) resolve();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then(() =>
          reject(new Error(`the bench exited before its servers were up:\n${log.slice(-4000)}`)),
        );
      });
      for (const port of ports) expect(await isListening(port), `port ${port} before`).toBe(true);
      child.kill('SIGTERM');
      expect(await exited, log.slice(-4000)).toBe(143);
      expect(log).toContain("SIGTERM: stopping the bench's children and servers");
      for (const port of ports) expect(await isListening(port), `port ${port} after`).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
