import { defineConfig } from 'vitest/config';

// Workspace packages are resolved to their TypeScript source through this export condition,
// so tests never depend on a stale build of shared/ or db/.
// The rest is Vite's default server conditions (vite's defaultServerConditions).
const conditions = ['@lexforum/source', 'module', 'node', 'development|production'];

export default defineConfig({
  test: {
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
