/**
 * Compiles messages/*.json into src/lib/paraglide (what the Vite plugin does in a build), unless
 * that output is already newer than every message file and the settings: the typecheck then does
 * not spend half a minute again on what the build has just compiled. `node compile-messages.js`.
 */
import { compile } from '@inlang/paraglide-js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
export const compiledDir = join(webRoot, 'src/lib/paraglide');

/** Whether src/lib/paraglide holds the messages as they are now. */
export function compiledIsFresh() {
  if (!existsSync(join(compiledDir, 'messages.js'))) return false;
  // Paraglide rewrites only the files whose content changed: the newest of them dates the output.
  const built = Math.max(
    ...readdirSync(compiledDir, { recursive: true, encoding: 'utf8' }).map(
      (f) => statSync(join(compiledDir, f)).mtimeMs,
    ),
  );
  const sources = [
    join(webRoot, 'project.inlang/settings.json'),
    ...readdirSync(join(webRoot, 'messages')).map((f) => join(webRoot, 'messages', f)),
  ];
  return sources.every((f) => statSync(f).mtimeMs <= built);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!compiledIsFresh()) {
    await compile({ project: join(webRoot, 'project.inlang'), outdir: compiledDir });
  }
}
