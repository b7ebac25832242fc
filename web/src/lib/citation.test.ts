import { describe, expect, it } from 'vitest';
import { bibtex, bibtexText, citationKey, cslJson, type CitationFacts } from './citation.js';

const facts: CitationFacts = {
  postId: '6caefbf9-1cb7-47a2-82de-3ba3377f3509',
  authorName: 'Claire Martin',
  position: 'Procureure',
  jurisdiction: 'France',
  threadTitle: 'Sale of falsified medicines: 100% online & {cross-border}',
  number: 1,
  genre: 'LexForum legal analysis',
  version: 3,
  // Local dates: the citation's dates are the reader's calendar's.
  versionDate: new Date(2026, 2, 14, 12).toISOString(),
  url: 'https://forum.example/posts/6caefbf9-1cb7-47a2-82de-3ba3377f3509/history?version=3',
  accessed: new Date(2026, 11, 5, 9),
};

describe('citations', () => {
  it('keys each version', () => {
    expect(citationKey(facts)).toBe('lexforum-6caefbf9-v3');
  });

  it('writes one CSL-JSON post with the version, dates, address and badge', () => {
    const [item] = JSON.parse(cslJson(facts)) as Record<string, unknown>[];
    expect(item).toEqual({
      id: 'lexforum-6caefbf9-v3',
      type: 'post',
      title: facts.threadTitle,
      'container-title': 'LexForum',
      genre: 'LexForum legal analysis',
      author: [{ literal: 'Claire Martin' }],
      issued: { 'date-parts': [[2026, 3, 14]] },
      accessed: { 'date-parts': [[2026, 12, 5]] },
      version: '3',
      URL: facts.url,
      note: 'Procureure, France',
    });
    const reply = JSON.parse(cslJson({ ...facts, number: 4, position: null, jurisdiction: null })) as {
      title: string;
      note?: string;
    }[];
    expect(reply[0]!.title).toBe(`#4: ${facts.threadTitle}`);
    expect(reply[0]!.note).toBeUndefined();
  });

  it('writes a BibTeX entry with special characters escaped', () => {
    expect(bibtexText('100% & {x} $5 #1 a_b ~ ^ \\')).toBe(
      '100\\% \\& \\textbraceleft{}x\\textbraceright{} \\$5 \\#1 a\\_b \\textasciitilde{} \\textasciicircum{} \\textbackslash{}',
    );
    // An unbalanced brace stays balanced in the entry.
    const entry = bibtex({ ...facts, threadTitle: 'Article 5 { of the code', authorName: 'Smith and Jones, LLP' });
    const depth = [...entry].reduce((d, c) => d + (c === '{' ? 1 : c === '}' ? -1 : 0), 0);
    expect(depth).toBe(0);
    expect(entry).toContain('author = {{Smith and Jones, LLP}}');
    expect(bibtex(facts)).toBe(
      [
        '@misc{lexforum-6caefbf9-v3,',
        '  author = {{Claire Martin}},',
        '  title = {{Sale of falsified medicines: 100\\% online \\& \\textbraceleft{}cross-border\\textbraceright{}}},',
        '  howpublished = {LexForum legal analysis},',
        '  year = {2026},',
        '  month = {3},',
        '  version = {3},',
        `  url = {${facts.url}},`,
        '  urldate = {2026-12-05},',
        '  note = {Procureure, France}',
        '}',
        '',
      ].join('\n'),
    );
  });
});
