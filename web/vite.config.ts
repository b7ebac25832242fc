/// <reference types="vitest/config" />
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { LOCALE_COOKIE } from '@lexforum/shared';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defaultClientConditions, defineConfig } from 'vite';
import { precompress } from './precompress.js';

export default defineConfig({
  plugins: [
    svelte(),
    // Compiles messages/*.json into typed message functions under src/lib/paraglide. The locale:
    // the cookie the language menu sets (which the server also writes with the account's choice),
    // else the browser's languages, else English; see src/lib/i18n.ts.
    paraglideVitePlugin({
      project: './project.inlang',
      outdir: './src/lib/paraglide',
      strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
      cookieName: LOCALE_COOKIE,
    }),
    // Brotli and gzip copies of the built files, served as they are (server/src/plugins/web.ts).
    precompress(),
  ],
  // Workspace packages are consumed as TypeScript source.
  resolve: { conditions: ['@lexforum/source', ...defaultClientConditions] },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:3000', ws: true } },
  },
  // No source maps in the build: the server serves web/dist as is, and maps would publish the
  // client's source (the server also refuses *.map). The dev server maps without them.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
