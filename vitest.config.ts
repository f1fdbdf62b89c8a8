import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript source of the workspace packages (their package.json `exports` name it under
// this condition), as they do on the CLI's own source; the built bin (e2e tests) uses their dist/.
const conditions = ['@bulkfill/source', 'module', 'node', 'development|production'];

export default defineConfig({
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The token leak scan over every output of the run (test/helpers/leak-scan.ts): fails the run on a leak.
    globalSetup: ['test/helpers/leak-scan-global.ts'],
  },
});
