import type { SearchFilters } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import {
  activeFilters,
  EMPTY_SEARCH,
  isBlank,
  parseSearch,
  queryTokens,
  queryWords,
  searchApiUrl,
  searchToQuery,
  withoutFilter,
  withoutToken,
  withSingle,
  withValue,
} from './search.js';

const NO_FILTERS: SearchFilters = {
  jurisdictions: [],
  topics: [],
  instruments: [],
  kind: null,
  language: null,
  author: null,
  after: null,
  before: null,
  status: null,
  inTitle: false,
  thread: null,
};

describe('search state in the address', () => {
  it('round-trips the query, repeated facets, the dates and the sort', () => {
    const state = {
      ...EMPTY_SEARCH,
      q: 'medicrime "article 5"',
      jurisdiction: ['KE', 'NG'],
      topic: ['medicines'],
      kind: 'legal_analysis' as const,
      author: 'otieno',
      after: '2023-01-01',
      status: 'resolved' as const,
      inTitle: true,
      sort: 'date' as const,
    };
    const query = searchToQuery(state);
    expect(query).toBe(
      'q=medicrime+%22article+5%22&jurisdiction=KE&jurisdiction=NG&topic=medicines&kind=legal_analysis&author=otieno&after=2023-01-01&status=resolved&in=title&sort=date',
    );
    expect(parseSearch(new URLSearchParams(query))).toEqual(state);
  });

  it('drops malformed values instead of sending them on', () => {
    const parsed = parseSearch(
      new URLSearchParams('jurisdiction=ke&jurisdiction=NG&kind=rant&after=2024-1-1&sort=x&status=maybe&in=body'),
    );
    expect(parsed).toEqual({ ...EMPTY_SEARCH, jurisdiction: ['NG'] });
  });

  it('asks the API with the cursor and the limit', () => {
    expect(searchApiUrl({ ...EMPTY_SEARCH, q: 'x', thread: 't1' }, 'abc', 20)).toBe(
      '/api/search?q=x&thread=t1&cursor=abc&limit=20',
    );
  });

  it('is blank with neither words nor filters', () => {
    expect(isBlank({ ...EMPTY_SEARCH, q: '  ', sort: 'date' })).toBe(true);
    expect(isBlank({ ...EMPTY_SEARCH, jurisdiction: ['KE'] })).toBe(false);
  });
});

describe('the query’s words', () => {
  it('keeps phrases and exclusions whole', () => {
    expect(queryTokens('medicrime -"art. 5" OR  falsif* jurisdiction:KE @otieno')).toEqual([
      'medicrime',
      '-"art. 5"',
      'OR',
      'falsif*',
      'jurisdiction:KE',
      '@otieno',
    ]);
    expect(queryWords('medicrime OR falsif* kind:analysis @otieno "unclosed')).toEqual([
      'medicrime',
      'falsif*',
      '"unclosed',
    ]);
  });

  it('drops a word with the OR it leaves dangling', () => {
    expect(withoutToken('a OR b', 'b')).toBe('a');
    expect(withoutToken('a OR b OR c', 'b')).toBe('a OR c');
    expect(withoutToken('"x y" z', '"x y"')).toBe('z');
  });
});

describe('filters', () => {
  it('lists every filter in force', () => {
    expect(
      activeFilters({ ...NO_FILTERS, jurisdictions: ['KE'], kind: 'question', inTitle: true }).map(
        (f) => `${f.key}=${f.value}`,
      ),
    ).toEqual(['jurisdiction=KE', 'kind=question', 'in=title']);
  });

  it('removes a filter from the parameters and from the operators typed in the query', () => {
    const state = { ...EMPTY_SEARCH, q: 'medicrime jurisdiction:ke kind:analysis @Otieno', jurisdiction: ['KE', 'NG'] };
    expect(withoutFilter(state, { key: 'jurisdiction', value: 'KE' })).toMatchObject({
      q: 'medicrime kind:analysis @Otieno',
      jurisdiction: ['NG'],
    });
    expect(withoutFilter(state, { key: 'kind', value: 'legal_analysis' }).q).toBe('medicrime jurisdiction:ke @Otieno');
    expect(withoutFilter(state, { key: 'author', value: 'otieno' }).q).toBe('medicrime jurisdiction:ke kind:analysis');
    // Nothing to drop from the query: it stays as typed.
    expect(withoutFilter({ ...state, q: 'a   b' }, { key: 'jurisdiction', value: 'NG' }).q).toBe('a   b');
  });

  it('sets a single-valued filter over the one typed in the query', () => {
    const next = withSingle({ ...EMPTY_SEARCH, q: 'x after:2020-01-01' }, 'after', '2023-01-01');
    expect(next).toMatchObject({ q: 'x', after: '2023-01-01' });
    expect(withValue(withValue(EMPTY_SEARCH, 'topic', 'fraud'), 'topic', 'fraud').topic).toEqual(['fraud']);
  });
});
