// `npm run audit:verify` (issue 9, point 3): run as operators run it, against a fresh database — clean chains
// and anchors pass with exit 0; a row altered behind the append-only trigger fails with exit 1 naming the
// first broken link (aggregate, seq, reason); an anchor checked against a different printed hash fails too.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { appendAudit, writeDailyAnchor } from '../db/audit/index.ts';
import { freshDatabase } from '../test/support/database.ts';

const { db, url } = await freshDatabase();
const root = join(import.meta.dirname, '..');

function run(args: string[] = [], env: Record<string, string> = { DATABASE_URL: url }) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'audit-verify.ts'), ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function chainOf(type: string, n: number): Promise<string> {
  const id = randomUUID();
  for (let i = 1; i <= n; i++)
    await appendAudit(db, {
      aggregateType: type,
      aggregateId: id,
      actor: 'person:1',
      action: `step.${i}`,
      after: { i },
    });
  return id;
}

describe('npm run audit:verify', () => {
  it('passes intact chains and anchors, then names the first broken link of an altered row', async () => {
    const a = await chainOf('plan', 3);
    const b = await chainOf('unit', 2);
    const { anchor } = await writeDailyAnchor(db, '2026-11-25');

    const ok = await run();
    expect(ok.out).toContain('audit chains checked: 2, broken: 0');
    expect(ok.out).toContain('anchors checked: 1 (chain heads 2), problems: 0');
    expect(ok.out).toContain('audit:verify OK');
    expect(ok.out).not.toContain('woms@'); // no password printed
    expect(ok.code).toBe(0);

    // a printed anchor hash that differs from the stored one
    const printed = join(tmpdir(), `anchors-${randomUUID()}.json`);
    await writeFile(printed, JSON.stringify({ [anchor.day]: '0'.repeat(64) }));
    const forged = await run(['--printed', printed]);
    expect(forged.out).toContain('FIRST BROKEN LINK: anchor 2026-11-25 reason printed_hash_mismatch');
    expect(forged.code).toBe(1);

    // alter entry 2 of the plan chain behind the append-only trigger
    await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(db);
    try {
      await db
        .updateTable('audit_log')
        .set({ actor: 'person:intruder' })
        .where('aggregate_id', '=', a)
        .where('seq', '=', 2)
        .execute();
    } finally {
      await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(db);
    }
    const broken = await run();
    expect(broken.out).toContain('audit chains checked: 2, broken: 1');
    expect(broken.out).toContain(
      `FIRST BROKEN LINK: aggregate plan/${a} seq 2 reason hash_mismatch: entry 2 was altered after it was written`,
    );
    expect(broken.out).not.toContain(b);
    expect(broken.out).toContain('audit:verify FAILED');
    expect(broken.code).toBe(1);
  });

  it('exits 2 with a hint when the database cannot be reached', async () => {
    const u = new URL(url);
    u.pathname = `/no_such_db_${randomUUID().slice(0, 8).replaceAll('-', '')}`;
    const r = await run([], { DATABASE_URL: u.toString() });
    expect(r.out).toContain('cannot read');
    expect(r.out).toContain('***');
    expect(r.code).toBe(2);
  });
});
