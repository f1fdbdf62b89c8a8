import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The token leak scan over every output of the run (test/helpers/leak-scan.ts): fails the run on a leak.
    globalSetup: ['test/helpers/leak-scan-global.ts'],
  },
});
