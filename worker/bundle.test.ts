import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from './run.ts';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('workflow bundle', () => {
  it('bundles every workflow in workflows/', async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
    expect(code).toContain('auditAnchorWorkflow');
  });

  it.each([
    ['io-workflow.ts', /"node:fs"/],
    ['pg-workflow.ts', /disallowed modules[\s\S]*\b(net|dns|tls|fs|crypto|stream)\b/],
  ])('refuses workflow code that imports I/O (%s)', async (file, module) => {
    const errors: string[] = [];
    const logger = {
      ...quiet,
      error: (m: string, meta?: unknown) => errors.push(`${m} ${JSON.stringify(meta ?? '')}`),
    };
    const thrown = await bundleWorkflowCode({ workflowsPath: fixture(file), logger }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(thrown, 'bundling must fail').toBeDefined();
    expect([thrown, ...errors].join('\n')).toMatch(module);
  });
});
