// `npm run restore -- <file> [--into <database>] [--replace]` (issue 9 point 2): decrypts a backup of
// `npm run backup` (the key: BACKUP_KEY, else .data/auth-secret.key) and restores it as <database> (default: the
// configured one) on the configured server (DATABASE_URL's, else the embedded default of a running `npm start`).
// The key and the whole file's authentication are checked before anything is written; the data goes into a new
// database, is checked (row counts and audit chain heads as in the backup, chains verified), and only then takes
// the name. An existing non-empty <database> is refused unless --replace (stop the API and the worker first).
// Exit 0 restored, 1 refused or failed.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { externalPostgres } from '../devstack/postgres.ts';
import { BackupNoKeyError, backupKey } from './backup/crypto.ts';
import { restoreBackup } from './backup/dump.ts';
import { configuredDatabase } from './backup.ts';
import { stackConfig } from './config.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { into: { type: 'string' }, replace: { type: 'boolean', default: false } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error('usage: npm run restore -- <backup file> [--into <database>] [--replace]');
    return 1;
  }
  const cfg = stackConfig();
  const { url, safe } = configuredDatabase(cfg);
  const server = externalPostgres(url);
  const into = values.into ?? decodeURIComponent(new URL(url).pathname.slice(1));
  let key: Buffer;
  try {
    ({ key } = await backupKey(process.env, cfg.dataDir));
  } catch (e) {
    if (!(e instanceof BackupNoKeyError)) throw e;
    console.error(`[restore] ${e.message}`);
    return 1;
  }
  console.log(`[restore] ${resolve(file)} → database ${into} on ${new URL(safe).host}`);
  try {
    const r = await restoreBackup({
      file: resolve(file),
      key,
      adminUrl: server.adminUrl,
      urlFor: server.urlFor,
      into,
      replace: values.replace,
      log: (l) => console.log(`[restore] ${l}`),
    });
    console.log(
      `[restore] done: ${r.tables} tables, ${r.rows} rows; audit chains ${r.chainsChecked} checked, ${r.chainsBroken} broken; anchor problems ${r.anchorProblems}`,
    );
    return r.chainsBroken || r.anchorProblems ? 1 : 0;
  } catch (e) {
    console.error(`[restore] FAILED: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = await main();
