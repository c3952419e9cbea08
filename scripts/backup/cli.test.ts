// `npm run backup` and `npm run restore` as an operator runs them (scripts/backup.ts, scripts/restore.ts as child
// processes on the test PostgreSQL): a backup of a database with audit chains, restored under a new name with the
// same rows and heads; a restore over it refused without --replace; no key, no file.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { appendAudit } from '../../db/audit/index.ts';
import { createDb } from '../../db/connection.ts';
import { dropDatabase } from '../../devstack/postgres.ts';
import { freshDatabase } from '../../test/support/database.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const source = await freshDatabase();
const dir = await mkdtemp(join(tmpdir(), 'woms-backup-cli-'));
const restoredName = `${source.name}_r`;
const restoredUrl = (() => {
  const u = new URL(source.url);
  u.pathname = `/${restoredName}`;
  return u.toString();
})();
afterAll(async () => {
  await dropDatabase(inject('pgAdminUrl'), restoredName);
  await rm(dir, { recursive: true, force: true });
});

const key = Buffer.alloc(32, 5).toString('base64');
async function cli(script: string, args: string[], env: Record<string, string>) {
  try {
    const r = await run(process.execPath, [join(root, 'scripts', script), ...args], {
      cwd: root,
      env: { ...process.env, TZ: 'UTC', WOMS_DATA_DIR: join(dir, 'data'), ...env },
    });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout + x.stderr };
  }
}

describe('npm run backup / npm run restore', () => {
  it('backs up, restores under a new name with the same rows and audit heads, and refuses to overwrite', async () => {
    for (let i = 0; i < 5; i++)
      await appendAudit(source.db, {
        aggregateType: 'plan',
        aggregateId: `p${i % 2}`,
        actor: 'system:test',
        action: 'plan.saved',
        after: { title: `Kế hoạch ${i}` },
      });
    const file = join(dir, 'b.dump.enc');
    const b = await cli('backup.ts', ['--out', file], { DATABASE_URL: source.url, BACKUP_KEY: key });
    expect(b.out).toContain('written');
    expect(b.code).toBe(0);

    const r = await cli('restore.ts', [file, '--into', restoredName], {
      DATABASE_URL: source.url,
      BACKUP_KEY: key,
    });
    expect(r.out).toMatch(/done: \d+ tables/);
    expect(r.code).toBe(0);
    const copy = createDb(restoredUrl, { max: 1 });
    try {
      const heads = (db: typeof copy) =>
        db.selectFrom('audit_chain_head').selectAll().orderBy('aggregate_id').execute();
      expect(await heads(copy)).toEqual(await heads(source.db));
      expect(await heads(copy)).toHaveLength(2);
    } finally {
      await copy.destroy();
    }

    const again = await cli('restore.ts', [file, '--into', restoredName], {
      DATABASE_URL: source.url,
      BACKUP_KEY: key,
    });
    expect(again.code).toBe(1);
    expect(again.out).toContain('is not empty');

    const wrong = await cli('restore.ts', [file, '--into', `${restoredName}x`], {
      DATABASE_URL: source.url,
      BACKUP_KEY: Buffer.alloc(32, 6).toString('base64'),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('the key does not open');
  }, 120_000);

  it('writes nothing without a key (no BACKUP_KEY, no local secret key file)', async () => {
    const out = join(dir, 'nokey');
    const b = await cli('backup.ts', ['--out', join(out, 'x.dump.enc')], {
      DATABASE_URL: source.url,
      BACKUP_KEY: '',
    });
    expect(b.code).toBe(1);
    expect(b.out).toContain('never written unencrypted');
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});
