// @vitest-environment node
/**
 * Guards the paraglide setup: the message-format plugin must load from the local node_modules.
 * From the default CDN address it fails offline and paraglide then compiles no messages while
 * still reporting success, which this test turns into a failure.
 */
import { compile } from '@inlang/paraglide-js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compiledDir, compiledIsFresh } from '../compile-messages.js';

const webRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The build and the typecheck compile the messages into src/lib/paraglide: when that output is
 * fresh, it is what is checked (the suite's command has just compiled it, and compiling a few
 * hundred messages in four languages takes half a minute on a busy two-core machine); otherwise
 * they are compiled afresh into a temporary folder.
 */
let tempDir: string | undefined;
afterAll(() => {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

describe('i18n (paraglide)', () => {
  it('loads its plugin from node_modules, never from a URL', () => {
    const text = readFileSync(join(webRoot, 'project.inlang/settings.json'), 'utf8');
    expect(text).not.toMatch(/https?:/);
    const settings = JSON.parse(text);
    expect(settings.modules).toContain('./node_modules/@inlang/plugin-message-format/dist/index.js');
  });

  it('compiles every English message into a function returning its text', async () => {
    let outdir = compiledDir;
    if (!compiledIsFresh()) {
      outdir = tempDir = mkdtempSync(join(tmpdir(), 'lexforum-paraglide-'));
      await compile({ project: join(webRoot, 'project.inlang'), outdir, emitGitIgnore: false });
    }
    // A message is a string, or (for counts) a list of variants chosen by plural category.
    const messages = JSON.parse(readFileSync(join(webRoot, 'messages/en.json'), 'utf8')) as Record<
      string,
      string | unknown[]
    >;
    const keys = Object.keys(messages).filter((k) => k !== '$schema');
    expect(keys.length).toBeGreaterThan(50);
    // The compiled module is run by Node itself: through vitest every one of its few hundred
    // files would be transformed first, which took half a minute.
    const probe = `
      const { m } = await import(${JSON.stringify(pathToFileURL(join(outdir, 'messages.js')).href)});
      const keys = ${JSON.stringify(keys)};
      const out = { kinds: {}, texts: {} };
      for (const key of keys) {
        out.kinds[key] = typeof m[key];
        if (typeof m[key] === 'function') try { out.texts[key] = m[key](); } catch { out.texts[key] = null; }
      }
      out.welcome = m.home_welcome({ name: 'Ama' });
      out.waiting = [m.home_queue_waiting({ count: 1 }), m.home_queue_waiting({ count: 3 })];
      process.stdout.write(JSON.stringify(out));`;
    const compiled = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' }),
    ) as { kinds: Record<string, string>; texts: Record<string, unknown>; welcome: string; waiting: string[] };
    for (const key of keys) {
      expect(compiled.kinds[key], key).toBe('function');
      const text = messages[key];
      if (typeof text === 'string' && !text.includes('{')) expect(compiled.texts[key], key).toBe(text);
    }
    expect(compiled.welcome).toBe('Welcome, Ama');
    expect(compiled.waiting).toEqual(['1 application waiting', '3 applications waiting']);
  }, 120_000);
});
