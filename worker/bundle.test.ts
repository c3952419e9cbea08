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

  it.each(['io-workflow.ts', 'pg-workflow.ts'])(
    'refuses workflow code that imports I/O (%s)',
    async (file) => {
      await expect(bundleWorkflowCode({ workflowsPath: fixture(file), logger: quiet })).rejects.toThrow(
        /disallowed|not allowed|Module not found|fs|net/i,
      );
    },
  );
});
