import { describe, expect, it } from 'vitest';
import { cookMarkdown } from './cook.js';
import { QUOTE_WITHHELD_HTML, quotedPostIds, withholdQuotes } from './quotes.js';

/** A quote as the web composer writes it (web/src/lib/threads.ts quoteMarkdown). */
const quote = (id: string, name: string, text: string) =>
  `[${name} wrote](/posts/${id}/history?version=2):\n${text
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\n')}\n\n`;

const nobody = () => false;
const everybody = () => true;

describe('quotes', () => {
  it('finds the quoted posts, nested ones included', () => {
    const inner = quote('inner-1', 'Carla', 'Inner words.');
    const html = cookMarkdown(`${quote('outer-1', 'Bruno', `${inner}Outer words.`)}My answer.`);
    expect(quotedPostIds(html)).toEqual(['outer-1', 'inner-1']);
  });

  it('replaces the attribution and the quoted words of an unreadable source with the notice', () => {
    const html = cookMarkdown(`${quote('p1', 'Ann', 'The witness lives at 3 Elm Street.')}I disagree.`);
    const out = withholdQuotes(html, nobody);
    expect(out).not.toContain('Elm Street');
    expect(out).not.toContain('Ann wrote');
    expect(out).toContain(QUOTE_WITHHELD_HTML);
    expect(out).toContain('<p>I disagree.</p>');
  });

  it('keeps a readable quote as it is', () => {
    const html = cookMarkdown(`${quote('p1', 'Ann', 'Fine words.')}Agreed.`);
    expect(withholdQuotes(html, everybody)).toBe(html);
  });

  it('withholds a nested quote inside a readable one, and all of a withheld outer one', () => {
    const inner = quote('hidden', 'Carla', 'Secret inner.');
    const html = cookMarkdown(`${quote('shown', 'Bruno', `${inner}Visible outer.`)}Mine.`);
    const innerOnly = withholdQuotes(html, (id) => id === 'shown');
    expect(innerOnly).toContain('Visible outer.');
    expect(innerOnly).not.toContain('Secret inner.');
    expect(innerOnly).toContain(QUOTE_WITHHELD_HTML);
    expect(innerOnly).toContain('<p>Mine.</p>');

    const all = withholdQuotes(html, (id) => id === 'hidden');
    expect(all).not.toContain('Visible outer.');
    expect(all).not.toContain('Secret inner.');
    expect(all.split(QUOTE_WITHHELD_HTML)).toHaveLength(2);
    expect(all).toContain('<p>Mine.</p>');
  });

  it('handles several quotes, one withheld, and leaves other blockquotes alone', () => {
    const html = cookMarkdown(
      `${quote('a', 'Ann', 'First.')}Between.\n\n${quote('b', 'Bob', 'Second.')}\n> A plain blockquote.\n\nEnd.`,
    );
    const out = withholdQuotes(html, (id) => id === 'a');
    expect(out).toContain('First.');
    expect(out).not.toContain('Second.');
    expect(out).toContain('A plain blockquote.');
    expect(out).toContain('End.');
  });

  it('does not treat a link to a post without a following blockquote as a quote', () => {
    const html = cookMarkdown('See [this post](/posts/x/history?version=1): it is relevant.');
    expect(quotedPostIds(html)).toEqual([]);
    expect(withholdQuotes(html, nobody)).toBe(html);
  });

  it('copes with a quote whose block never closes (truncated HTML)', () => {
    const html = '<p><a href="/posts/x/history?version=1">X wrote</a>:</p>\n<blockquote>\n<p>cut';
    expect(withholdQuotes(html, nobody)).toBe(QUOTE_WITHHELD_HTML);
  });
});

describe('excerpts', () => {
  it('leave quotes of other posts out', async () => {
    const { excerptOf } = await import('./cook.js');
    expect(excerptOf(`${quote('p1', 'Ann', 'Her address is 3 Elm Street.')}I disagree with this.`)).toBe(
      'I disagree with this.',
    );
  });
});

describe('quotes in markdown source', () => {
  it('replaces an unreadable quote, nested ones one by one, and leaves the rest', async () => {
    const { withholdQuotesInMarkdown, quotedPostIdsInMarkdown, QUOTE_WITHHELD_MARKDOWN } = await import('./quotes.js');
    const inner = quote('hidden', 'Carla', 'Secret inner.');
    const source = `${quote('shown', 'Bruno', `${inner.trim()}\n\nVisible outer.`)}Mine.`;
    expect(quotedPostIdsInMarkdown(source)).toEqual(['shown', 'hidden']);
    const out = withholdQuotesInMarkdown(source, (id) => id === 'shown');
    expect(out).toContain('Visible outer.');
    expect(out).not.toContain('Secret inner.');
    expect(out).toContain(`> ${QUOTE_WITHHELD_MARKDOWN}`);
    const all = withholdQuotesInMarkdown(source, () => false);
    expect(all).toBe(`${QUOTE_WITHHELD_MARKDOWN}\n\nMine.`);
  });
});
