import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, isListening } from '../devstack/ports.ts';

// The smoke test of `npm start`: every service comes up on its own ports, every printed URL answers,
// and Ctrl-C (SIGINT) stops them all. Uses its own data folder and ports, not the shared test servers.
const root = join(import.meta.dirname, '..');

describe('npm start', () => {
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('brings every service up, prints where to go, and stops them all on Ctrl-C', {
    timeout: 420_000,
  }, async () => {
    dataDir = await mkdtemp(join(root, '.tools', 'tmp', 'start-'));
    const ports = {
      WOMS_PG_PORT: await freePort(),
      TEMPORAL_PORT: await freePort(),
      TEMPORAL_UI_PORT: await freePort(),
      SMTP_PORT: await freePort(),
      MAIL_UI_PORT: await freePort(),
      API_PORT: await freePort(),
      WEB_PORT: await freePort(),
    };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WOMS_DATA_DIR: dataDir,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    };
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    child = spawn(process.execPath, [join(root, 'scripts', 'start.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    child.stderr!.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (out.includes('Ctrl-C stops everything')) {
          clearInterval(t);
          resolve();
        }
        if (child!.exitCode !== null) {
          clearInterval(t);
          reject(new Error(`npm start exited early:\n${out}`));
        }
      }, 250);
    });

    // Every URL in the banner answers.
    const urls = [
      ...out.matchAll(/^\s{2}(?:Web app|API|Temporal Web UI|Sent mail)\b.*?(http:\/\/\S+)/gm),
    ].map((m) => m[1]!);
    expect(urls).toHaveLength(4);
    for (const url of urls) {
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
    }
    expect(urls).toContain(`http://127.0.0.1:${ports.WEB_PORT}`);
    expect(urls).toContain(`http://127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
    // The demo roster is printed, one line per role.
    for (const role of ['administrator', 'secretariat', 'official'])
      expect(out).toMatch(new RegExp(`^\\s+${role}\\s`, 'm'));

    // The printed demo sign-in works against the running API.
    const password = /password (\S+)/.exec(out)?.[1];
    expect(password).toBeDefined();
    const signIn = await fetch(`http://127.0.0.1:${ports.API_PORT}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'canbo@demo.woms.vn', password }),
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('set-cookie')).toContain('woms_session=');

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('[start] stopped');
    for (const [name, port] of Object.entries(ports)) {
      expect(await isListening(port), `${name} still listening`).toBe(false);
    }
  });
});
