import { describe, expect, it } from 'vitest';
import {
  matchesNewThread,
  EMPTY_FILTERS,
  filtersToSearch,
  parseFilters,
  postNumberFromHash,
  quoteMarkdown,
  threadListUrl,
  type ThreadFilters,
} from './threads.js';

describe('thread filters in the address', () => {
  it('round-trips repeated jurisdictions, toggles and the sort', () => {
    const filters = {
      ...EMPTY_FILTERS,
      jurisdiction: ['FR', 'INT'],
      topic: ['medicines'],
      unread: true,
      sort: 'replies' as const,
    };
    const search = filtersToSearch(filters);
    expect(search).toBe('jurisdiction=FR&jurisdiction=INT&topic=medicines&unread=true&sort=replies');
    expect(parseFilters(new URLSearchParams(search))).toEqual(filters);
  });

  it('drops malformed values instead of sending them on', () => {
    const parsed = parseFilters(
      new URLSearchParams('jurisdiction=fr&jurisdiction=KE&kind=rant&sort=x&author=a%20b&language=xx'),
    );
    expect(parsed).toEqual({ ...EMPTY_FILTERS, jurisdiction: ['KE'] });
  });

  it('round-trips the language filter', () => {
    const filters = { ...EMPTY_FILTERS, language: 'ar' };
    expect(filtersToSearch(filters)).toBe('language=ar');
    expect(parseFilters(new URLSearchParams('language=ar'))).toEqual(filters);
  });

  it('builds the API address with a cursor', () => {
    expect(threadListUrl({ ...EMPTY_FILTERS, kind: 'question' }, 'abc', 10)).toBe(
      '/api/threads?kind=question&limit=10&cursor=abc',
    );
  });
});

describe('posts', () => {
  it('reads a post number from the hash', () => {
    expect(postNumberFromHash('#post-12')).toBe(12);
    expect(postNumberFromHash('#top')).toBeNull();
  });

  it('quotes every line of a selection after its link', () => {
    expect(quoteMarkdown('/posts/p1/history?version=2', 'Ana [Judge]', 'one\n\ntwo', 'wrote')).toBe(
      '[Ana Judge wrote](/posts/p1/history?version=2):\n> one\n>\n> two\n\n',
    );
  });
});

describe("new threads and the list's filters", () => {
  const created = {
    kind: 'question' as const,
    language: 'ar',
    authorId: 'u1',
    jurisdictions: ['FR', 'INT'],
    topics: ['counterfeit-medicines'],
    instruments: [],
  };
  const filters = (patch: Partial<ThreadFilters>): ThreadFilters => ({ ...EMPTY_FILTERS, ...patch });

  it.each([
    [{}, true],
    [{ jurisdiction: ['DE', 'FR'] }, true],
    [{ jurisdiction: ['DE'] }, false],
    [{ topic: ['counterfeit-medicines'], kind: 'question' as const }, true],
    [{ kind: 'case_note' as const }, false],
    [{ author: 'u2' }, false],
    [{ instrument: ['medicrime'] }, false],
    [{ following: true }, false],
    [{ language: 'ar' }, true],
    [{ language: 'fr' }, false],
  ])('with %o: %s', (patch, expected) => {
    expect(matchesNewThread(filters(patch), created)).toBe(expected);
  });
});
