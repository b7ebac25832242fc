// @vitest-environment node
/**
 * Guards the paraglide setup: the message-format plugin must load from the local node_modules.
 * From the default CDN address it fails offline and paraglide then compiles no messages while
 * still reporting success, which this test turns into a failure.
 */
import { compile } from '@inlang/paraglide-js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const webRoot = fileURLToPath(new URL('..', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'lexforum-paraglide-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('i18n (paraglide)', () => {
  it('loads its plugin from node_modules, never from a URL', () => {
    const text = readFileSync(join(webRoot, 'project.inlang/settings.json'), 'utf8');
    expect(text).not.toMatch(/https?:/);
    const settings = JSON.parse(text);
    expect(settings.modules).toContain('./node_modules/@inlang/plugin-message-format/dist/index.js');
  });

  it('compiles every English message into a function returning its text', async () => {
    await compile({ project: join(webRoot, 'project.inlang'), outdir, emitGitIgnore: false });
    // A message is a string, or (for counts) a list of variants chosen by plural category.
    const messages = JSON.parse(readFileSync(join(webRoot, 'messages/en.json'), 'utf8')) as Record<
      string,
      string | unknown[]
    >;
    const compiled = (await import(/* @vite-ignore */ join(outdir, 'messages.js'))) as {
      m: Record<string, (inputs?: Record<string, string>) => string>;
    };
    const keys = Object.keys(messages).filter((k) => k !== '$schema');
    expect(keys.length).toBeGreaterThan(50);
    for (const key of keys) {
      expect(typeof compiled.m[key], key).toBe('function');
      const text = messages[key];
      if (typeof text === 'string' && !text.includes('{')) expect(compiled.m[key]!(), key).toBe(text);
    }
    expect(compiled.m['home_welcome']!({ name: 'Ama' })).toBe('Welcome, Ama');
    const waiting = compiled.m['home_queue_waiting'] as unknown as (inputs: { count: number }) => string;
    expect(waiting({ count: 1 })).toBe('1 application waiting');
    expect(waiting({ count: 3 })).toBe('3 applications waiting');
    // Compiling a few hundred messages in four languages takes tens of seconds on a busy two-core machine.
  }, 120_000);
});
