import { defineConfig } from 'vitest/config';
import type { Reporter } from 'vitest/reporters';

/** Ends the run with one plain line, `vitest: N passed, N failed, N skipped`, for CI to read. */
const summary: Reporter = {
  onTestRunEnd(testModules) {
    const count = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const module of testModules) for (const test of module.children.allTests()) count[test.result().state]++;
    process.stdout.write(
      `\nvitest: ${count.passed} passed, ${count.failed} failed, ${count.skipped + count.pending} skipped\n`,
    );
  },
};

// Workspace packages are resolved to their TypeScript source through this export condition,
// so tests never depend on a stale build of shared/ or db/.
// The rest is Vite's default server conditions (vite's defaultServerConditions).
const conditions = ['@lexforum/source', 'module', 'node', 'development|production'];

export default defineConfig({
  test: {
    reporters: ['default', summary],
    projects: [
      {
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'server',
          root: './server',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      './web/vite.config.ts',
      {
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'tests',
          root: './tests',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Browser tests each start Chromium; running files in parallel on 2 cores helps little.
          fileParallelism: true,
        },
      },
    ],
  },
});
