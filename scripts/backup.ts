// `npm run backup` (issue 9 point 2): a consistent dump of the configured database (DATABASE_URL, else the
// embedded default of a running `npm start`), gzipped and encrypted with AES-256-GCM, written to
// .data/backups/woms-<timestamp>.dump.enc (or --out <file>). The key: BACKUP_KEY (32 bytes, base64), else the
// local secret key file .data/auth-secret.key. Without a key nothing is written: never a backup in the clear.
// Exit 0 written, 1 failed, 2 the database could not be reached.
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupNoKeyError, backupKey } from './backup/crypto.ts';
import { backupDatabase } from './backup/dump.ts';
import { stackConfig } from './config.ts';

/** The configured database's URL and a printable form without its password. */
export function configuredDatabase(cfg = stackConfig()) {
  const url = cfg.databaseUrl ?? `postgres://postgres:woms@127.0.0.1:${cfg.pgPort}/${cfg.database}`;
  const safe = new URL(url);
  if (safe.password) safe.password = '***';
  return { url, safe: safe.toString() };
}

/** woms-2026-11-26T171502Z.dump.enc */
export const backupFileName = (at = new Date()) =>
  `woms-${at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '')}.dump.enc`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const cfg = stackConfig();
  const { url, safe } = configuredDatabase(cfg);
  let key: Buffer;
  let from: string;
  try {
    ({ key, from } = await backupKey(process.env, cfg.dataDir));
  } catch (e) {
    if (!(e instanceof BackupNoKeyError)) throw e;
    console.error(`[backup] ${e.message}`);
    return 1;
  }
  const file = values.out ? resolve(values.out) : join(cfg.dataDir, 'backups', backupFileName());
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  console.log(`[backup] database ${safe} → ${file} (key from ${from})`);
  try {
    const r = await backupDatabase({ url, file, key, log: (l) => console.log(`[backup] ${l}`) });
    const rows = r.manifest.tables.reduce((s, t) => s + t.rows, 0);
    console.log(
      `[backup] written: ${r.bytes} bytes, ${r.manifest.tables.length} tables, ${rows} rows, ${r.manifest.audit.chains} audit chains (heads ${r.manifest.audit.headsDigest.slice(0, 16)}…)`,
    );
    return 0;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === '3D000' || code === '28P01') {
      console.error(
        `[backup] cannot read ${safe}: ${(e as Error).message} (set DATABASE_URL, or run npm start for the embedded default)`,
      );
      return 2;
    }
    console.error(`[backup] FAILED: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = await main();
