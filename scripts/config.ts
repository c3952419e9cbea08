import { join } from 'node:path';

/** The embedded default's settings; every one can be overridden from the environment (README lists them). */
export function stackConfig(env: NodeJS.ProcessEnv = process.env) {
  const root = join(import.meta.dirname, '..');
  const num = (name: string, dflt: number) => Number(env[name] ?? dflt);
  return {
    root,
    dataDir: env.WOMS_DATA_DIR ?? join(root, '.data'),
    databaseUrl: env.DATABASE_URL, // external PostgreSQL; the embedded one otherwise
    pgPort: num('WOMS_PG_PORT', 5433),
    database: env.WOMS_DATABASE ?? 'woms',
    temporalAddress: env.TEMPORAL_ADDRESS, // external Temporal; the dev server otherwise
    temporalPort: num('TEMPORAL_PORT', 7233),
    temporalUiPort: num('TEMPORAL_UI_PORT', 8233),
    temporalCli: env.TEMPORAL_CLI ?? join(root, '.tools', 'bin', 'temporal'),
    smtpPort: num('SMTP_PORT', 2525),
    mailUiPort: num('MAIL_UI_PORT', 8025),
    apiPort: num('API_PORT', 8787),
    webPort: num('WEB_PORT', 3000),
    host: '127.0.0.1',
  };
}
export type StackConfig = ReturnType<typeof stackConfig>;
