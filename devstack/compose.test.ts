import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// No Docker engine runs here: Debian's docker-compose validates the file without one.
const root = join(import.meta.dirname, '..');
const compose = (...args: string[]) =>
  execFileSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), ...args], {
    encoding: 'utf8',
    cwd: root,
  });

describe('docker-compose.yml (the deployment path)', () => {
  it('is a valid Compose file with every service of the design', () => {
    expect(() => compose('config', '-q')).not.toThrow();
    expect(compose('config', '--services').trim().split('\n').sort()).toEqual(
      ['api', 'mail', 'postgres', 'temporal', 'temporal-setup', 'temporal-ui', 'web', 'worker'].sort(),
    );
    expect(compose('config', '--volumes').trim()).toBe('pgdata');
  });

  it('persists Temporal in PostgreSQL and registers the search attributes the workflows use', () => {
    const cfg = compose('config');
    expect(cfg).toMatch(/DB: postgres12/);
    for (const sa of [
      'PlanYear=Int',
      'UnitId=Keyword',
      'Province=Keyword',
      'Phase=Keyword',
      'OverdueLevel=Int',
      'NextDeadline=Datetime',
    ]) {
      expect(cfg).toContain(sa);
    }
  });

  it('gives the worker and the API the configuration they read', () => {
    const cfg = compose('config');
    for (const v of [
      'DATABASE_URL: postgres://woms:',
      'TEMPORAL_ADDRESS: temporal:7233',
      'SMTP_HOST: mail',
      'API_URL: http://api:8787',
    ]) {
      expect(cfg).toContain(v);
    }
  });

  it('builds from Dockerfile targets that exist and copies folders that exist', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)/gm)].map((m) => m[1]);
    const targets = [...compose('config').matchAll(/target: ([a-z][a-z-]*)\s*$/gm)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(stages).toContain(t);
    for (const [, src] of dockerfile.matchAll(/^COPY (?!--from)(\S+) /gm)) {
      expect(existsSync(join(root, src!)), `COPY ${src}`).toBe(true);
    }
  });
});
