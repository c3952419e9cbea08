// The logical dump behind `npm run backup` / `npm run restore` (issue 9 point 2), in plain Node: the embedded
// PostgreSQL package ships no pg_dump/pg_restore (only initdb, pg_ctl, postgres), and a system pg_dump of an
// older major version refuses a newer server — so the data goes out and in through COPY (text format, the
// format pg_dump itself writes), one consistent snapshot, and the schema is the migrations'.
//
// The plain dump (gzipped and encrypted by ./crypto.ts, never written in the clear):
//   WOMS-DUMP 1\n
//   <manifest JSON>\n                      migrations, tables (columns, row counts), sequences, audit heads digest
//   TABLE <name>\n <COPY text rows> \.\n   for every table of the public schema
//   END\n
//
// Restore: a fresh database, migrated by this code's migrations (which must be exactly the backup's), every
// table emptied and filled by COPY with triggers and foreign-key checks off (session_replication_role =
// replica, as pg_restore --disable-triggers; COPY through pg-copy-streams), the sequences set, then checked (row counts and the audit heads
// digest against the manifest) before it takes the target's name.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { type CopyStreamQuery, from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { verifyAllChains, verifyAnchors } from '../../db/audit/index.ts';
import { createDb } from '../../db/connection.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { readEncrypted, verifyEncrypted, writeEncrypted } from './crypto.ts';

export const DUMP_MAGIC = 'WOMS-DUMP 1';

export interface DumpManifest {
  format: 1;
  createdAt: string;
  database: string;
  serverVersion: string;
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number }[];
  sequences: { name: string; lastValue: string; isCalled: boolean }[];
  audit: { chains: number; headsDigest: string };
}

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

// ---- reading the schema -------------------------------------------------------------------------------------

async function tablesOf(client: pg.Client) {
  const { rows } = await client.query<{ name: string; columns: string[] }>(`
    SELECT c.relname AS name,
           array_agg(a.attname::text ORDER BY a.attnum) AS columns
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     WHERE n.nspname = 'public' AND c.relkind = 'r'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
     GROUP BY c.relname
     ORDER BY c.relname COLLATE "C"`);
  return rows;
}

async function sequencesOf(client: pg.Client) {
  const { rows } = await client.query<{ name: string }>(`
    SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'S'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname COLLATE "C"`);
  const out: DumpManifest['sequences'] = [];
  for (const { name } of rows) {
    const r = await client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text, is_called FROM public.${ident(name)}`,
    );
    out.push({ name, lastValue: r.rows[0]!.last_value, isCalled: r.rows[0]!.is_called });
  }
  return out;
}

/** Every audit chain head, in a stable order, hashed: equal digests = equal heads. */
export async function auditHeads(client: pg.Client): Promise<DumpManifest['audit']> {
  const exists = await client.query(`SELECT to_regclass('public.audit_chain_head') IS NOT NULL AS ok`);
  if (!exists.rows[0].ok) return { chains: 0, headsDigest: createHash('sha256').digest('hex') };
  const { rows } = await client.query<{ t: string; i: string; seq: number; hash: string }>(
    'SELECT aggregate_type AS t, aggregate_id AS i, seq, hash FROM audit_chain_head',
  );
  const lines = rows.map((r) => `${r.t}\t${r.i}\t${r.seq}\t${r.hash}\n`).sort();
  const h = createHash('sha256');
  for (const l of lines) h.update(l);
  return { chains: rows.length, headsDigest: h.digest('hex') };
}

async function migrationsOf(client: pg.Client): Promise<string[]> {
  const exists = await client.query(`SELECT to_regclass('public.kysely_migration') IS NOT NULL AS ok`);
  if (!exists.rows[0].ok) return [];
  const { rows } = await client.query<{ name: string }>('SELECT name FROM kysely_migration');
  return rows.map((r) => r.name).sort();
}

// ---- backup -------------------------------------------------------------------------------------------------

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: DumpManifest;
}

/** Dumps the database at `url` in one snapshot into the encrypted `file`. */
export async function backupDatabase(o: {
  url: string;
  file: string;
  key: Buffer;
  log?: (line: string) => void;
}): Promise<BackupResult> {
  const client = new pg.Client({ connectionString: o.url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    await client.query(`SET LOCAL lock_timeout = '30s'`);
    const tables = await tablesOf(client);
    // as pg_dump: no table can be dropped or altered under the dump
    if (tables.length)
      await client.query(
        `LOCK TABLE ${tables.map((t) => `public.${ident(t.name)}`).join(', ')} IN ACCESS SHARE MODE`,
      );
    const counted: DumpManifest['tables'] = [];
    for (const t of tables) {
      const r = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.${ident(t.name)}`);
      counted.push({ ...t, rows: Number(r.rows[0]!.n) });
    }
    const manifest: DumpManifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      database: client.database ?? '',
      serverVersion: (await client.query('SHOW server_version')).rows[0].server_version,
      migrations: await migrationsOf(client),
      tables: counted,
      sequences: await sequencesOf(client),
      audit: await auditHeads(client),
    };
    o.log?.(
      `dumping ${counted.length} tables, ${counted.reduce((s, t) => s + t.rows, 0)} rows, ${manifest.audit.chains} audit chains`,
    );
    async function* plain(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${DUMP_MAGIC}\n${JSON.stringify(manifest)}\n`);
      for (const t of counted) {
        yield Buffer.from(`TABLE ${t.name}\n`);
        yield* client.query(
          copyTo(`COPY public.${ident(t.name)} (${t.columns.map(ident).join(', ')}) TO STDOUT`),
        );
        yield Buffer.from('\\.\n');
      }
      yield Buffer.from('END\n');
    }
    const bytes = await writeEncrypted(Readable.from(plain()), o.file, o.key);
    await client.query('COMMIT');
    return { file: o.file, bytes, manifest };
  } finally {
    await client.end();
  }
}

// ---- restore ------------------------------------------------------------------------------------------------

export class RestoreRefusedError extends Error {
  override name = 'RestoreRefusedError';
}

export interface RestoreResult {
  database: string;
  manifest: DumpManifest;
  tables: number;
  rows: number;
  chainsChecked: number;
  chainsBroken: number;
  anchorProblems: number;
}

const NEWLINE = 0x0a;

/**
 * Reads the plain dump, filling the tables of `client`'s database (inside its open transaction). Returns the
 * manifest and the rows COPY reported per table.
 */
async function loadDump(
  plain: AsyncIterable<Buffer>,
  client: pg.Client,
  prepare: (m: DumpManifest) => Promise<void>,
): Promise<{ manifest: DumpManifest; loaded: Map<string, number> }> {
  let manifest: DumpManifest | undefined;
  const loaded = new Map<string, number>();
  type State = 'magic' | 'manifest' | 'between' | 'table' | 'end';
  // an object, not a let: the line handler changes it, and narrowing must not assume otherwise
  const at: { state: State } = { state: 'magic' };
  let copy: CopyStreamQuery | undefined;
  let table = '';
  let rest: Buffer = Buffer.alloc(0);
  const bad = (why: string) => new Error(`the backup's content is not a WOMS dump: ${why}`);

  const line = async (text: string) => {
    if (at.state === 'magic') {
      if (text !== DUMP_MAGIC) throw bad(`first line ${JSON.stringify(text.slice(0, 40))}`);
      at.state = 'manifest';
    } else if (at.state === 'manifest') {
      manifest = JSON.parse(text) as DumpManifest;
      await prepare(manifest);
      at.state = 'between';
    } else if (at.state === 'between') {
      if (text === 'END') {
        at.state = 'end';
        return;
      }
      const m = /^TABLE (.+)$/.exec(text);
      const t = m && manifest!.tables.find((x) => x.name === m[1]);
      if (!t) throw bad(`unexpected line ${JSON.stringify(text.slice(0, 60))}`);
      table = t.name;
      copy = client.query(
        copyFrom(`COPY public.${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`),
      );
      at.state = 'table';
    } else if (at.state === 'end') throw bad('data after END');
  };

  for await (const chunk of plain) {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let pos = 0;
    let dataFrom = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, pos);
      if (nl < 0) break;
      if (at.state === 'table') {
        // "\." alone ends the table (a data line never is: a backslash in data is written "\\")
        if (nl - pos === 2 && buf[pos] === 0x5c && buf[pos + 1] === 0x2e) {
          if (pos > dataFrom) await write(copy!, buf.subarray(dataFrom, pos));
          loaded.set(table, await end(copy!));
          copy = undefined;
          at.state = 'between';
          dataFrom = nl + 1;
        }
      } else {
        await line(buf.toString('utf8', pos, nl));
        dataFrom = nl + 1;
      }
      pos = nl + 1;
    }
    if (at.state === 'table' && pos > dataFrom) await write(copy!, buf.subarray(dataFrom, pos));
    rest = Buffer.from(buf.subarray(pos));
  }
  if (at.state !== 'end' || rest.length) throw bad('it ends early (no END line)');
  return { manifest: manifest!, loaded };
}

/** Writes rows (whole lines) to a COPY … FROM STDIN, waiting while the socket is behind. */
async function write(copy: CopyStreamQuery, chunk: Buffer) {
  if (!copy.write(chunk)) await once(copy, 'drain');
}

/** Finishes a COPY … FROM STDIN and answers the rows the server took. */
async function end(copy: CopyStreamQuery): Promise<number> {
  copy.end();
  await finished(copy);
  return copy.rowCount;
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

/** Whether `database` is missing, empty, or has any table, view or sequence of its own. */
async function databaseState(adminUrl: string, urlFor: (db: string) => string, database: string) {
  const exists = await withClient(adminUrl, async (c) =>
    Boolean((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount),
  );
  if (!exists) return 'missing' as const;
  const n = await withClient(urlFor(database), async (c) =>
    Number(
      (
        await c.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
        )
      ).rows[0]!.n,
    ),
  );
  return n > 0 ? ('non-empty' as const) : ('empty' as const);
}

/**
 * Restores the encrypted backup `file` as database `into` on the server of `adminUrl`: checks the key and the
 * whole file's authentication first (nothing is written when either fails), restores into a new database,
 * checks it, then gives it the name `into` — refusing an existing non-empty `into` unless `replace`.
 */
export async function restoreBackup(o: {
  file: string;
  key: Buffer;
  adminUrl: string;
  urlFor: (database: string) => string;
  into: string;
  replace?: boolean;
  log?: (line: string) => void;
}): Promise<RestoreResult> {
  const say = o.log ?? (() => {});
  const state = await databaseState(o.adminUrl, o.urlFor, o.into);
  if (state === 'non-empty' && !o.replace)
    throw new RestoreRefusedError(
      `database ${o.into} exists and is not empty: restore into a new one (--into <name>) or pass --replace to replace it`,
    );
  await verifyEncrypted(o.file, o.key);
  say(`${o.file}: key and authentication tag verified`);

  const temp = `${o.into.slice(0, 40)}_restoring_${randomBytes(4).toString('hex')}`;
  await withClient(o.adminUrl, (c) => c.query(`CREATE DATABASE ${ident(temp)}`));
  say(`restoring into the new database ${temp}`);
  let dropped = false;
  try {
    const tempUrl = o.urlFor(temp);
    // the schema: this code's migrations, which must be exactly the ones the backup's database had run
    const kdb = createDb(tempUrl, { max: 1 });
    try {
      await migrateToLatest(kdb);
    } finally {
      await kdb.destroy();
    }
    const { manifest, loaded } = await withClient(tempUrl, async (client) => {
      const ours = await migrationsOf(client);
      const fresh = await tablesOf(client);
      await client.query('BEGIN');
      try {
        try {
          await client.query('SET LOCAL session_replication_role = replica');
        } catch (e) {
          throw new RestoreRefusedError(
            `restore needs a role that may set session_replication_role (a superuser): ${(e as Error).message}`,
          );
        }
        let out: Awaited<ReturnType<typeof loadDump>> | undefined;
        await readEncrypted(o.file, o.key, async (plain) => {
          out = await loadDump(plain, client, async (m) => {
            const missing = m.migrations.filter((x) => !ours.includes(x));
            const extra = ours.filter((x) => !m.migrations.includes(x));
            if (missing.length || extra.length)
              throw new RestoreRefusedError(
                `the backup was made by another version of WOMS (migrations${missing.length ? ` only in the backup: ${missing.join(', ')}` : ''}${extra.length ? ` only in this code: ${extra.join(', ')}` : ''}); restore with the version that made it, then upgrade`,
              );
            for (const t of m.tables) {
              const f = fresh.find((x) => x.name === t.name);
              const gone = f ? t.columns.filter((c) => !f.columns.includes(c)) : ['(the table)'];
              if (gone.length)
                throw new RestoreRefusedError(
                  `the backup's table ${t.name} does not fit this schema (missing here: ${gone.join(', ')})`,
                );
            }
            // what the migrations seeded goes: the backup holds every row
            if (fresh.length)
              await client.query(`TRUNCATE ${fresh.map((t) => `public.${ident(t.name)}`).join(', ')}`);
            say(
              `backup of ${m.database} made ${m.createdAt} (PostgreSQL ${m.serverVersion}): ${m.tables.length} tables`,
            );
          });
        });
        if (!out) throw new Error('the backup held no dump');
        for (const s of out.manifest.sequences)
          await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [
            `public.${ident(s.name)}`,
            s.lastValue,
            s.isCalled,
          ]);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      }
    });

    // the restored copy, checked against the manifest before it takes the name
    const counts = await withClient(tempUrl, async (client) => {
      const n = new Map<string, number>();
      for (const t of manifest.tables)
        n.set(
          t.name,
          Number(
            (await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM public.${ident(t.name)}`))
              .rows[0]!.n,
          ),
        );
      return { n, audit: await auditHeads(client) };
    });
    const wrong = manifest.tables.filter(
      (t) => counts.n.get(t.name) !== t.rows || loaded.get(t.name) !== t.rows,
    );
    if (wrong.length)
      throw new Error(
        `restored row counts differ from the backup's: ${wrong.map((t) => `${t.name} ${counts.n.get(t.name)} ≠ ${t.rows}`).join(', ')}`,
      );
    if (
      counts.audit.headsDigest !== manifest.audit.headsDigest ||
      counts.audit.chains !== manifest.audit.chains
    )
      throw new Error("the restored audit chain heads differ from the backup's");
    const kcheck = createDb(tempUrl, { max: 1 });
    let chains: Awaited<ReturnType<typeof verifyAllChains>>;
    let anchors: Awaited<ReturnType<typeof verifyAnchors>>;
    try {
      chains = await verifyAllChains(kcheck);
      anchors = await verifyAnchors(kcheck);
    } finally {
      await kcheck.destroy();
    }
    say(
      `restored ${manifest.tables.length} tables, rows as in the backup; audit chains ${chains.checked} (broken ${chains.broken.length}), anchors ${anchors.anchorsChecked} (problems ${anchors.problems.length})`,
    );

    const now = await databaseState(o.adminUrl, o.urlFor, o.into);
    if (now === 'non-empty' && !o.replace)
      throw new RestoreRefusedError(`database ${o.into} was filled while restoring; nothing was replaced`);
    await withClient(o.adminUrl, async (c) => {
      if (now !== 'missing') {
        await c.query(`DROP DATABASE ${ident(o.into)} WITH (FORCE)`);
        dropped = true;
      }
      await c.query(`ALTER DATABASE ${ident(temp)} RENAME TO ${ident(o.into)}`);
    });
    say(`database ${o.into} ${now === 'non-empty' ? 'replaced by' : 'is'} the restored copy`);
    return {
      database: o.into,
      manifest,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((s, t) => s + t.rows, 0),
      chainsChecked: chains.checked,
      chainsBroken: chains.broken.length,
      anchorProblems: anchors.problems.length,
    };
  } catch (e) {
    // once the old database is gone, the restored copy is the only one: keep it, and say where
    if (dropped)
      throw new Error(`${(e as Error).message} — the restored copy is kept as database ${temp}`, {
        cause: e,
      });
    await withClient(o.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(temp)} WITH (FORCE)`)).catch(
      () => {},
    );
    throw e;
  }
}
