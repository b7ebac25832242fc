/**
 * The search page's state as it lives in the address (shareable; Back and Forward replay it) and
 * as GET /api/search takes it: the query as typed plus the filters chosen in the page. A filter may
 * also be typed in the query as an operator (`jurisdiction:KE`); the server merges both and says
 * which are in force (`SearchPage.filters`). Removing a filter here removes it from both places,
 * so an unticked facet does not come back from the query text.
 */
import {
  SEARCH_SORTS,
  SEARCH_STATUSES,
  THREAD_KINDS,
  type SearchFilters,
  type SearchSort,
  type SearchStatus,
  type ThreadKind,
} from '@lexforum/shared';

export interface SearchState {
  q: string;
  jurisdiction: string[];
  topic: string[];
  instrument: string[];
  kind: ThreadKind | '';
  author: string;
  after: string;
  before: string;
  status: SearchStatus | '';
  inTitle: boolean;
  thread: string;
  sort: SearchSort;
}

export const EMPTY_SEARCH: SearchState = {
  q: '',
  jurisdiction: [],
  topic: [],
  instrument: [],
  kind: '',
  author: '',
  after: '',
  before: '',
  status: '',
  inTitle: false,
  thread: '',
  sort: 'relevance',
};

const CODE = /^[A-Z]{2,8}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const USERNAME = /^@?[\p{L}\p{N}_.-]{1,40}$/u;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const unique = (values: string[], pattern: RegExp) => [...new Set(values.filter((v) => pattern.test(v)))].slice(0, 20);
const oneOf = <T extends string>(list: readonly T[], value: string | null): T | '' =>
  value !== null && (list as readonly string[]).includes(value) ? (value as T) : '';

/** The state from a query string; malformed values are dropped rather than sent on. */
export function parseSearch(search: URLSearchParams): SearchState {
  const get = (key: string, pattern: RegExp) => {
    const value = search.get(key) ?? '';
    return pattern.test(value) ? value : '';
  };
  return {
    q: (search.get('q') ?? '').slice(0, 1000),
    jurisdiction: unique(search.getAll('jurisdiction'), CODE),
    topic: unique(search.getAll('topic'), SLUG),
    instrument: unique(search.getAll('instrument'), SLUG),
    kind: oneOf(THREAD_KINDS, search.get('kind')),
    author: get('author', USERNAME).replace(/^@/, ''),
    after: get('after', DATE),
    before: get('before', DATE),
    status: oneOf(SEARCH_STATUSES, search.get('status')),
    inTitle: search.get('in') === 'title',
    thread: get('thread', ID),
    sort: oneOf(SEARCH_SORTS, search.get('sort')) || 'relevance',
  };
}

/** The query string for a state (without the `?`); defaults are left out, so links stay short. */
export function searchToQuery(state: SearchState, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  if (state.q.trim()) search.set('q', state.q.trim());
  for (const key of ['jurisdiction', 'topic', 'instrument'] as const) {
    for (const value of state[key]) search.append(key, value);
  }
  if (state.kind) search.set('kind', state.kind);
  if (state.author) search.set('author', state.author);
  if (state.after) search.set('after', state.after);
  if (state.before) search.set('before', state.before);
  if (state.status) search.set('status', state.status);
  if (state.inTitle) search.set('in', 'title');
  if (state.thread) search.set('thread', state.thread);
  if (state.sort !== 'relevance') search.set('sort', state.sort);
  for (const [key, value] of Object.entries(extra)) search.set(key, value);
  return search.toString();
}

/** `/search?…` for a state. */
export function searchHref(state: SearchState): string {
  const query = searchToQuery(state);
  return query ? `/search?${query}` : '/search';
}

/** GET /api/search for a state and, for the next page, a cursor. */
export function searchApiUrl(state: SearchState, cursor?: string | null, limit?: number): string {
  const extra: Record<string, string> = {};
  if (cursor) extra['cursor'] = cursor;
  if (limit) extra['limit'] = String(limit);
  return `/api/search?${searchToQuery(state, extra)}`;
}

/** Nothing asked yet: no words and no filter (the page shows how to search instead). */
export function isBlank(state: SearchState): boolean {
  return (
    !state.q.trim() &&
    state.jurisdiction.length + state.topic.length + state.instrument.length === 0 &&
    !state.kind &&
    !state.author &&
    !state.after &&
    !state.before &&
    !state.status &&
    !state.inTitle &&
    !state.thread
  );
}

// ---- The query's words ------------------------------------------------------------------------

/** A query split as the server reads it: `-"a phrase"`, `"a phrase"`, `word`, `OR`, `key:value`, `@user`. */
export function queryTokens(q: string): string[] {
  return q.match(/-?"[^"]*"?|[^\s"]+/g) ?? [];
}

const OPERATOR = /^(jurisdiction|topic|instrument|kind|in|after|before|status):/i;

/** An operator (`jurisdiction:KE`, `@user`) rather than a word to find. */
export function isOperator(token: string): boolean {
  return OPERATOR.test(token) || /^@./.test(token);
}

/** The words and phrases of a query (what "try without …" offers to drop), without operators and OR. */
export function queryWords(q: string): string[] {
  return queryTokens(q).filter((token) => !isOperator(token) && token !== 'OR');
}

/** The query without one of its tokens (and without an OR left dangling by it). */
export function withoutToken(q: string, token: string): string {
  const tokens = queryTokens(q);
  const at = tokens.indexOf(token);
  if (at === -1) return q;
  tokens.splice(at, 1);
  // "a OR b" without b is "a", not "a OR".
  while (tokens[0] === 'OR') tokens.shift();
  while (tokens.at(-1) === 'OR') tokens.pop();
  return tokens.filter((t, i) => !(t === 'OR' && tokens[i - 1] === 'OR')).join(' ');
}

function withoutOperators(q: string, test: (key: string, value: string) => boolean): string {
  return queryTokens(q)
    .filter((token) => {
      if (token.startsWith('@')) return !test('author', token.slice(1));
      const match = OPERATOR.exec(token);
      return !match || !test(match[1]!.toLowerCase(), token.slice(match[0].length));
    })
    .join(' ');
}

// ---- Filters ------------------------------------------------------------------------------------

export type FilterKey =
  'jurisdiction' | 'topic' | 'instrument' | 'kind' | 'author' | 'after' | 'before' | 'status' | 'in' | 'thread';

/** One filter in force, as the server reports them merged from the parameters and the query. */
export interface ActiveFilter {
  key: FilterKey;
  value: string;
}

/** The filters in force, one entry per value, in the order the page lists them. */
export function activeFilters(filters: SearchFilters): ActiveFilter[] {
  const list: ActiveFilter[] = [
    ...filters.jurisdictions.map((value) => ({ key: 'jurisdiction' as const, value })),
    ...filters.topics.map((value) => ({ key: 'topic' as const, value })),
    ...filters.instruments.map((value) => ({ key: 'instrument' as const, value })),
  ];
  if (filters.kind) list.push({ key: 'kind', value: filters.kind });
  if (filters.author) list.push({ key: 'author', value: filters.author });
  if (filters.after) list.push({ key: 'after', value: filters.after });
  if (filters.before) list.push({ key: 'before', value: filters.before });
  if (filters.status) list.push({ key: 'status', value: filters.status });
  if (filters.inTitle) list.push({ key: 'in', value: 'title' });
  if (filters.thread) list.push({ key: 'thread', value: filters.thread });
  return list;
}

/** Kind operators accept aliases (`kind:analysis`, `kind:case-note`). */
const KIND_ALIASES: Record<string, ThreadKind> = { analysis: 'legal_analysis', 'case-note': 'case_note' };
const sameValue = (key: FilterKey, typed: string, value: string): boolean => {
  if (key === 'kind') return (KIND_ALIASES[typed.toLowerCase()] ?? typed.toLowerCase()) === value;
  if (key === 'author') return typed.replace(/^@/, '').toLowerCase() === value.replace(/^@/, '').toLowerCase();
  return typed.toLowerCase() === value.toLowerCase();
};

/** The state without one filter value: out of the parameters and out of the query's operators. */
export function withoutFilter(state: SearchState, filter: ActiveFilter): SearchState {
  const { key, value } = filter;
  const q = withoutOperators(state.q, (k, typed) => k === key && (key === 'in' || sameValue(key, typed, value)));
  const next: SearchState = { ...state, q: q === queryTokens(state.q).join(' ') ? state.q : q };
  switch (key) {
    case 'jurisdiction':
    case 'topic':
    case 'instrument':
      next[key] = state[key].filter((v) => v.toLowerCase() !== value.toLowerCase());
      break;
    case 'kind':
      next.kind = '';
      break;
    case 'author':
      next.author = '';
      break;
    case 'after':
    case 'before':
      next[key] = '';
      break;
    case 'status':
      next.status = '';
      break;
    case 'in':
      next.inTitle = false;
      break;
    case 'thread':
      next.thread = '';
      break;
  }
  return next;
}

/**
 * The state with a single-valued filter set (kind, author, a date, status): whatever the query's
 * operators said for it is dropped, so the page's choice is the one in force.
 */
export function withSingle(
  state: SearchState,
  key: 'kind' | 'author' | 'after' | 'before' | 'status',
  value: string,
): SearchState {
  const q = withoutOperators(state.q, (k) => k === key);
  const next: SearchState = { ...state, q: q === queryTokens(state.q).join(' ') ? state.q : q };
  if (key === 'kind') next.kind = value as ThreadKind | '';
  else if (key === 'status') next.status = value as SearchStatus | '';
  else next[key] = value;
  return next;
}

/** The state with one value of a multi-valued filter added (a ticked facet). */
export function withValue(
  state: SearchState,
  key: 'jurisdiction' | 'topic' | 'instrument',
  value: string,
): SearchState {
  return state[key].includes(value) ? state : { ...state, [key]: [...state[key], value] };
}
