import { defineConfig } from 'vitest/config';

// Temporal workers crash under worker threads (TEMPORAL.md §6.4): every test file runs in a forked process.
export default defineConfig({
  test: {
    pool: 'forks',
    include: [
      'domain/**/*.test.ts',
      'db/**/*.test.ts',
      'api/**/*.test.ts',
      'activities/**/*.test.ts',
      'workflows/**/*.test.ts',
      'worker/**/*.test.ts',
      'scripts/**/*.test.ts',
      'toolchain/**/*.test.ts',
      'devstack/**/*.test.ts',
      'web/tests/**/*.test.ts',
    ],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    env: { TZ: 'UTC' },
  },
});
