// The backup and restore drill (issue 9 point 2): "restores an encrypted backup into a fresh database and checks
// that counts and audit chains match". On a PostgreSQL of its own (embedded, a free port; no Temporal, worker or
// API is needed: backup and restore work on the database alone): the demo province and some audited activity
// (demo accounts provisioned twice, party memberships set with their audit entries, two daily anchors), then
// `npm run backup`'s code writes the encrypted file and `npm run restore`'s code restores it into a fresh
// database; the checks compare the copy with the source table by table and chain by chain, and try a wrong key,
// a tampered and a truncated file, and a restore over a non-empty database.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { ensureDemoAccounts } from '../../api/auth/demo-accounts.ts';
import { appendAudit, writeDailyAnchor } from '../../db/audit/index.ts';
import { createDb, type Database } from '../../db/connection.ts';
import { loadDemoProvince } from '../../db/demo/index.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import '../../db/schema-evaluation-records.ts';
import { freePort } from '../../devstack/ports.ts';
import { ensureDatabase, startEmbeddedPostgres } from '../../devstack/postgres.ts';
import { DEFAULT_CALENDAR_PROFILE } from '../../domain/calendar/profiles/index.ts';
import { auditVerify } from '../audit-verify.ts';
import { BackupAuthenticationError, BackupKeyError, HEADER_LENGTH, MAGIC } from '../backup/crypto.ts';
import { backupDatabase, RestoreRefusedError, restoreBackup } from '../backup/dump.ts';
import { stackConfig } from '../config.ts';
import { checklist, type Drill, type DrillResult } from './drill.ts';

/** The drill's checks, by name (the test asserts each). `replace` runs in the full drill only. */
export const BACKUP_CHECKS = {
  encrypted:
    'the backup file is encrypted (WOMSBKUP header, format 1; no table name, id or text of the data readable in it), mode 0600',
  counts: 'row counts of every table match the source',
  content: "every table's content is identical to the source's (md5 of its rows)",
  chains: 'every audit chain and anchor verifies in the restored copy (audit:verify OK)',
  heads: "the restored audit chain heads equal the source's",
  wrongKey: 'a wrong key fails with a clear error and writes nothing',
  tampered: 'a tampered (one bit flipped) or truncated file fails authentication and writes nothing',
  refused:
    'a restore over an existing non-empty database is refused without --replace (the database untouched)',
  usable: 'the restored copy takes new audited writes (sequences restored, chains continue and verify)',
  replace: 'with --replace the restore replaces a non-empty database with the backup',
} as const;

const SOURCE = 'woms_source';
const RESTORED = 'woms_restored';

/** Every table of the public schema with its row count and a digest of its content (rows as text, sorted). */
async function tableFingerprints(url: string): Promise<Map<string, { rows: number; md5: string }>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows: tables } = await c.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
    );
    const out = new Map<string, { rows: number; md5: string }>();
    for (const { name } of tables) {
      const t = `public."${name.replaceAll('"', '""')}"`;
      const r = await c.query<{ n: string; md5: string | null }>(
        `SELECT count(*)::text AS n, md5(string_agg(x.r, E'\\n' ORDER BY x.r COLLATE "C")) AS md5
           FROM (SELECT t::text AS r FROM ${t} t) x`,
      );
      out.set(name, { rows: Number(r.rows[0]!.n), md5: r.rows[0]!.md5 ?? '' });
    }
    return out;
  } finally {
    await c.end();
  }
}

async function chainHeads(db: Database): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_chain_head')
    .select(['aggregate_type', 'aggregate_id', 'seq', 'hash'])
    .execute();
  return rows.map((r) => `${r.aggregate_type}/${r.aggregate_id}#${r.seq}:${r.hash}`).sort();
}

/** Audited changes as the product makes them: each state change and its audit entry in one transaction. */
async function someActivity(db: Database, persons: number, log: (l: string) => void) {
  const secretKey = Buffer.alloc(32, 7);
  const accounts = await ensureDemoAccounts(db, { secretKey });
  await writeDailyAnchor(db, '2026-11-25');
  // a second provisioning: every account chain gets its second link
  await ensureDemoAccounts(db, { secretKey });
  const people = await db
    .selectFrom('person')
    .select(['id', 'full_name'])
    .orderBy('id')
    .limit(persons)
    .execute();
  const admin = accounts[0]!.personId;
  for (const p of people) {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('person_party_membership')
        .values({ person_id: p.id, effective_from: '2026-01-01', is_member: true, set_by: admin })
        .execute();
      await appendAudit(trx, {
        aggregateType: 'person',
        aggregateId: p.id,
        actor: admin,
        action: 'person.party_membership_set',
        before: null,
        after: {
          fullName: p.full_name,
          isMember: true,
          effectiveFrom: '2026-01-01',
          note: 'Đảng viên — xác nhận',
        },
      });
    });
  }
  await writeDailyAnchor(db, '2026-11-26');
  log(
    `activity: ${accounts.length} accounts provisioned twice, ${people.length} party memberships set, 2 anchors`,
  );
}

async function leftoverRestores(adminUrl: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE '%\\_restoring\\_%' OR datname IN ('woms_wrong_key', 'woms_tampered', 'woms_truncated')`,
    );
    return rows.map((r) => r.datname);
  } finally {
    await c.end();
  }
}

async function failure(p: Promise<unknown>): Promise<Error | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

export const backupRestoreDrill: Drill = {
  name: 'backup-restore',
  title: 'an encrypted backup restored into a fresh database: counts and audit chains as in the source',
  async run({ quick, log }): Promise<DrillResult> {
    const { checks, check } = checklist();
    const figures: DrillResult['figures'] = {};
    const cfg = stackConfig();
    const dir = join(cfg.dataDir, 'drills', `backup-restore-${process.pid}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    // the embedded server runs as the postgres user when we are root (as scripts/drills/servers.ts)
    for (const d of [cfg.dataDir, join(cfg.dataDir, 'drills'), dir]) await chmod(d, 0o755);
    const server = await startEmbeddedPostgres({
      dataDir: join(dir, 'pg'),
      port: await freePort(),
      persistent: true,
    });
    const dbs: Database[] = [];
    try {
      await ensureDatabase(server.adminUrl, SOURCE);
      const sourceUrl = server.urlFor(SOURCE);
      const source = createDb(sourceUrl, { max: 2 });
      dbs.push(source);
      await migrateToLatest(source);
      const demo = await loadDemoProvince(source, { calendarProfile: DEFAULT_CALENDAR_PROFILE });
      log(`demo province loaded: ${demo.counts.units} units, ${demo.counts.people} people`);
      await someActivity(source, quick ? 40 : 400, log);

      // ---- backup ----
      const key = randomBytes(32);
      const file = join(dir, 'woms-drill.dump.enc');
      let t0 = Date.now();
      const backup = await backupDatabase({ url: sourceUrl, file, key, log });
      figures['backup seconds'] = ((Date.now() - t0) / 1000).toFixed(1);
      figures['backup bytes'] = backup.bytes;
      const bytes = await readFile(file);
      const plainNeedles = ['WOMS-DUMP', 'audit_log', demo.provinceId, 'Sơn Hà'];
      const leaked = plainNeedles.filter((n) => bytes.includes(Buffer.from(n)));
      check(
        BACKUP_CHECKS.encrypted,
        bytes.subarray(0, 8).equals(MAGIC) &&
          bytes[8] === 1 &&
          leaked.length === 0 &&
          ((await stat(file)).mode & 0o077) === 0,
        `${bytes.length} bytes${leaked.length ? `; readable: ${leaked.join(', ')}` : ''}`,
      );

      // ---- restore into a fresh database ----
      t0 = Date.now();
      const restored = await restoreBackup({
        file,
        key,
        adminUrl: server.adminUrl,
        urlFor: server.urlFor,
        into: RESTORED,
        log,
      });
      figures['restore seconds'] = ((Date.now() - t0) / 1000).toFixed(1);
      const copy = createDb(server.urlFor(RESTORED), { max: 2 });
      dbs.push(copy);

      const [a, b] = [await tableFingerprints(sourceUrl), await tableFingerprints(server.urlFor(RESTORED))];
      const names = [...new Set([...a.keys(), ...b.keys()])].sort();
      const countDiff = names.filter((n) => a.get(n)?.rows !== b.get(n)?.rows);
      const rows = [...a.values()].reduce((s, t) => s + t.rows, 0);
      figures.tables = a.size;
      figures.rows = rows;
      check(
        BACKUP_CHECKS.counts,
        countDiff.length === 0 && a.size > 0 && a.size === b.size && rows > 0,
        countDiff.length
          ? countDiff.map((n) => `${n}: ${a.get(n)?.rows} → ${b.get(n)?.rows}`).join(', ')
          : `${a.size} tables, ${rows} rows`,
      );
      const contentDiff = names.filter((n) => a.get(n)?.md5 !== b.get(n)?.md5);
      check(
        BACKUP_CHECKS.content,
        contentDiff.length === 0,
        contentDiff.length ? `differ: ${contentDiff.join(', ')}` : `${names.length} tables`,
      );

      const [srcVerify, copyVerify] = [await auditVerify(source), await auditVerify(copy)];
      const entries = Number(
        (
          await copy
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      figures['audit entries'] = entries;
      figures['audit chains'] = copyVerify.lines[0] ?? '';
      check(
        BACKUP_CHECKS.chains,
        copyVerify.exitCode === 0 && srcVerify.exitCode === 0 && entries > 0 && restored.chainsBroken === 0,
        copyVerify.lines.join('; '),
      );
      const [srcHeads, copyHeads] = [await chainHeads(source), await chainHeads(copy)];
      check(
        BACKUP_CHECKS.heads,
        srcHeads.length > 0 && srcHeads.join('\n') === copyHeads.join('\n'),
        `${srcHeads.length} heads in the source, ${copyHeads.length} in the copy`,
      );

      // ---- a wrong key, a tampered file, a truncated file: a clear error, nothing written ----
      const wrong = await failure(
        restoreBackup({
          file,
          key: randomBytes(32),
          adminUrl: server.adminUrl,
          urlFor: server.urlFor,
          into: 'woms_wrong_key',
        }),
      );
      check(
        BACKUP_CHECKS.wrongKey,
        wrong instanceof BackupKeyError && (await leftoverRestores(server.adminUrl)).length === 0,
        wrong?.message ?? 'no error',
      );
      const tampered = join(dir, 'tampered.dump.enc');
      const t = Buffer.from(bytes);
      const at = HEADER_LENGTH + Math.floor((t.length - HEADER_LENGTH) / 2);
      t[at] = t[at]! ^ 0x01;
      await writeFile(tampered, t);
      const tamperedError = await failure(
        restoreBackup({
          file: tampered,
          key,
          adminUrl: server.adminUrl,
          urlFor: server.urlFor,
          into: 'woms_tampered',
        }),
      );
      const truncated = join(dir, 'truncated.dump.enc');
      await writeFile(truncated, bytes.subarray(0, bytes.length - 100));
      const truncatedError = await failure(
        restoreBackup({
          file: truncated,
          key,
          adminUrl: server.adminUrl,
          urlFor: server.urlFor,
          into: 'woms_truncated',
        }),
      );
      check(
        BACKUP_CHECKS.tampered,
        tamperedError instanceof BackupAuthenticationError &&
          truncatedError instanceof BackupAuthenticationError &&
          (await leftoverRestores(server.adminUrl)).length === 0,
        `${tamperedError?.message ?? 'tampered: no error'} / ${truncatedError?.name ?? 'truncated: no error'}`,
      );

      // ---- over a non-empty database: refused without --replace ----
      const refused = await failure(
        restoreBackup({ file, key, adminUrl: server.adminUrl, urlFor: server.urlFor, into: SOURCE }),
      );
      const stillThere = await tableFingerprints(sourceUrl);
      check(
        BACKUP_CHECKS.refused,
        refused instanceof RestoreRefusedError && [...a].every(([n, f]) => stillThere.get(n)?.md5 === f.md5),
        refused?.message ?? 'not refused',
      );
      if (!quick) {
        // the copy moves on (a new audited change), then the backup replaces it: the change must be gone
        await appendAudit(copy, {
          aggregateType: 'drill',
          aggregateId: 'replaced',
          actor: 'system:drill',
          action: 'drill.changed_after_backup',
        });
        await copy.destroy();
        dbs.pop();
        const again = await restoreBackup({
          file,
          key,
          adminUrl: server.adminUrl,
          urlFor: server.urlFor,
          into: RESTORED,
          replace: true,
          log,
        });
        const c = await tableFingerprints(server.urlFor(RESTORED));
        check(
          BACKUP_CHECKS.replace,
          again.rows === rows && [...a].every(([n, f]) => c.get(n)?.md5 === f.md5),
          `${again.tables} tables, ${again.rows} rows`,
        );
        dbs.push(createDb(server.urlFor(RESTORED), { max: 2 }));
      }

      // ---- the copy is usable: new audited writes continue the chains and the identity sequences ----
      const live = dbs[dbs.length - 1]!;
      const person = await live
        .selectFrom('person')
        .select('id')
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow();
      const maxId = (await sql<{ m: string }>`SELECT max(id)::text AS m FROM audit_log`.execute(live))
        .rows[0]!.m;
      const appended = await failure(
        appendAudit(live, {
          aggregateType: 'person',
          aggregateId: person.id,
          actor: 'system:drill',
          action: 'person.restored_checked',
          after: { ok: true },
        }).then((r) => {
          if (BigInt(r.id) <= BigInt(maxId)) throw new Error(`new audit id ${r.id} ≤ ${maxId}`);
        }),
      );
      const after = await auditVerify(live);
      check(
        BACKUP_CHECKS.usable,
        appended === undefined && after.exitCode === 0,
        appended?.message ?? after.lines[0],
      );
    } finally {
      for (const d of dbs) await d.destroy().catch(() => {});
      await server.stop().catch(() => {});
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
    return { name: 'backup-restore', checks, figures };
  },
};
