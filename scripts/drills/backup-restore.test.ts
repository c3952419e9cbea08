// The quick `backup-restore` drill (issue 9 point 2) on a PostgreSQL of its own: an encrypted backup of the demo
// province with audited activity, restored into a fresh database, matches the source table by table and chain
// by chain; a wrong key, a tampered or truncated file and a restore over a non-empty database are refused.
import { describe, expect, it } from 'vitest';
import { BACKUP_CHECKS, backupRestoreDrill } from './backup-restore.ts';
import { passed } from './drill.ts';

describe('drill backup-restore (quick)', () => {
  it('restores the encrypted backup into a fresh database with the same counts, content and audit chains', async () => {
    const lines: string[] = [];
    const r = await backupRestoreDrill.run({ quick: true, log: (l) => lines.push(l) });
    const byWhat = new Map(r.checks.map((c) => [c.what, c]));
    const { replace: _fullOnly, ...quickChecks } = BACKUP_CHECKS;
    for (const what of Object.values(quickChecks)) {
      expect(byWhat.get(what), `${what}: ${byWhat.get(what)?.detail}`).toMatchObject({ ok: true });
    }
    expect(Number(r.figures.tables)).toBeGreaterThan(50);
    expect(Number(r.figures.rows)).toBeGreaterThan(1000);
    expect(Number(r.figures['audit entries'])).toBeGreaterThan(0);
    expect(passed(r), JSON.stringify(r.checks, null, 1)).toBe(true);
  }, 600_000);
});
