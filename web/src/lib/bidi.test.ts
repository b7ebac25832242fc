import { describe, expect, it } from 'vitest';
import { autoDirection } from './bidi.js';

describe('autoDirection', () => {
  it('gives each bare block of cooked HTML its own direction, and leaves inline tags and code alone', () => {
    const cooked =
      '<p>نص عربي <a href="/x" class="mention">@a</a></p><blockquote><p>Une citation</p></blockquote>' +
      '<ul><li>un</li></ul><h2>Titre</h2><pre><code>x</code></pre><table><tr><th>a</th><td>b</td></tr></table>';
    expect(autoDirection(cooked)).toBe(
      '<p dir="auto">نص عربي <a href="/x" class="mention">@a</a></p><blockquote dir="auto"><p dir="auto">Une citation</p></blockquote>' +
        '<ul><li dir="auto">un</li></ul><h2 dir="auto">Titre</h2><pre><code>x</code></pre><table><tr><th dir="auto">a</th><td dir="auto">b</td></tr></table>',
    );
  });

  it('leaves text that merely looks like a tag (escaped by the sanitizer) alone', () => {
    expect(autoDirection('<p>&lt;p&gt;</p>')).toBe('<p dir="auto">&lt;p&gt;</p>');
  });
});
