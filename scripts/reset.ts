import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { isListening } from '../devstack/ports.ts';
import { stackConfig } from './config.ts';

// `npm run reset`: deletes the embedded default's data (database, Temporal history, nothing else).
const cfg = stackConfig();
if (!cfg.databaseUrl && (await isListening(cfg.pgPort))) {
  console.error('[reset] WOMS seems to be running (PostgreSQL answers): stop it with Ctrl-C first.');
  process.exit(1);
}
if (existsSync(cfg.dataDir)) {
  await rm(cfg.dataDir, { recursive: true, force: true });
  console.log(`[reset] removed ${cfg.dataDir}; the next npm start recreates the demo province.`);
} else {
  console.log('[reset] nothing to reset.');
}
