import { REDACTED_PLACEHOLDER as R } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { needlesFor, scrubExcerpt, scrubJson, scrubString } from './scrub.js';

describe('scrub', () => {
  const address = { exact: needlesFor(['12 rue des Lilas']) };

  it('replaces every exact occurrence, and nothing that only looks alike', () => {
    expect(scrubString('At 12 rue des Lilas; again 12 rue des Lilas. 12 Rue des Lilas stays.', address)).toBe(
      `At ${R}; again ${R}. 12 Rue des Lilas stays.`,
    );
  });

  it('finds a span over several lines in its quoted form', () => {
    const needles = { exact: needlesFor(['line one\nline two']) };
    expect(scrubString('[A wrote](/posts/p/history?version=1):\n> line one\n> line two\n\nOk.', needles)).toBe(
      `[A wrote](/posts/p/history?version=1):\n> ${R}\n\nOk.`,
    );
  });

  it('takes out the beginning of a needle cut off by an excerpt’s ellipsis', () => {
    expect(scrubExcerpt('She lives at 12 rue des Li…', address)).toBe(`She lives at ${R}…`);
    expect(scrubExcerpt('Whitespace  12 rue\ndes Lilas collapsed', address)).toBe(
      'Whitespace  12 rue\ndes Lilas collapsed',
    );
    expect(scrubExcerpt('Whitespace 12 rue des Lilas collapsed', address)).toBe(`Whitespace ${R} collapsed`);
  });

  it('replaces whole quotes of a redacted version only', () => {
    const needles = { exact: [], quotedVersions: { postId: 'p1', versions: new Set([1]) } };
    const source =
      '[A wrote](/posts/p1/history?version=1):\n> secret\n> more\n\n[A wrote](/posts/p1/history?version=2):\n> kept\n';
    expect(scrubString(source, needles)).toBe(
      `[A wrote](/posts/p1/history?version=1):\n> ${R}\n\n[A wrote](/posts/p1/history?version=2):\n> kept\n`,
    );
  });

  it('walks JSON, keeping it valid (quotes and backslashes in the text included)', () => {
    const needles = { exact: needlesFor(['"Jo" \\ Doe']) };
    const value = { a: ['x "Jo" \\ Doe y', 3, null], b: { c: '"Jo" \\ Doe' } };
    const out = scrubJson(value, needles);
    expect(out).toEqual({ a: [`x ${R} y`, 3, null], b: { c: R } });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });
});
