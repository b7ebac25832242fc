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

/**
 * What the test projects share. `isolate: false` (API, socket, database and process tests): the
 * files a worker runs share one module registry, so the server and its dependencies are imported
 * once per worker rather than once per file (the imports were a sixth of the run). Each test still
 * builds its own app on its own database; nothing a test relies on lives in module state.
 */
const shared = {
  environment: 'node',
  testTimeout: 30_000,
  hookTimeout: 60_000,
  isolate: false,
} as const;

export default defineConfig({
  test: {
    reporters: ['default', summary],
    // Two files at a time, one per core (vitest's default leaves one core idle); the browser
    // project below runs its files one at a time.
    maxWorkers: 2,
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
          exclude: ['**/node_modules/**', 'browser/**'],
          ...shared,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { conditions },
        ssr: { resolve: { conditions } },
        test: {
          name: 'browser',
          root: './tests',
          include: ['browser/**/*.test.ts'],
          ...shared,
          // Each browser test runs Chromium beside the server: on 2 cores, one file at a time, after
          // the others, so no step waits behind another file's browser; and each file in a fresh
          // process, so nothing an earlier file left running (a browser, worker threads) slows it.
          maxWorkers: 1,
          isolate: true,
          sequence: { groupOrder: 1 },
          // A page's first paint after a navigation can take seconds on a loaded CI machine: a poll
          // waits up to 5 s by default (1 s is vitest's), so a slow machine is not a failure. A poll
          // that passes returns at once; only failures wait longer.
          expect: { poll: { timeout: 5_000 } },
        },
      },
    ],
  },
});
