/**
 * The thread list's filters, as they live in the address (shareable) and as the API takes them.
 * Multi-value filters repeat their parameter (`?jurisdiction=FR&jurisdiction=INT`) in both.
 */
import { LANGUAGE_CODES, THREAD_KINDS, THREAD_SORTS, type ThreadKind, type ThreadSort } from '@lexforum/shared';
import { m } from './i18n.js';

export interface ThreadFilters {
  jurisdiction: string[];
  topic: string[];
  instrument: string[];
  kind: ThreadKind | '';
  /** The language threads are written in (ISO 639-1), or '' for any. */
  language: string;
  author: string;
  following: boolean;
  unread: boolean;
  sort: ThreadSort;
}

export const EMPTY_FILTERS: ThreadFilters = {
  jurisdiction: [],
  topic: [],
  instrument: [],
  kind: '',
  language: '',
  author: '',
  following: false,
  unread: false,
  sort: 'latest',
};

const CODE = /^[A-Z]{2,8}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const unique = (values: string[], pattern: RegExp) => [...new Set(values.filter((v) => pattern.test(v)))].slice(0, 20);

/** Filters from a query string; anything malformed is dropped rather than sent on. */
export function parseFilters(search: URLSearchParams): ThreadFilters {
  const kind = search.get('kind') ?? '';
  const sort = search.get('sort') ?? '';
  const author = search.get('author') ?? '';
  const language = search.get('language') ?? '';
  return {
    jurisdiction: unique(search.getAll('jurisdiction'), CODE),
    topic: unique(search.getAll('topic'), SLUG),
    instrument: unique(search.getAll('instrument'), SLUG),
    kind: (THREAD_KINDS as readonly string[]).includes(kind) ? (kind as ThreadKind) : '',
    language: (LANGUAGE_CODES as readonly string[]).includes(language) ? language : '',
    author: ID.test(author) ? author : '',
    following: search.get('following') === 'true',
    unread: search.get('unread') === 'true',
    sort: (THREAD_SORTS as readonly string[]).includes(sort) ? (sort as ThreadSort) : 'latest',
  };
}

/** The query string for filters (without the `?`); defaults are left out, so links stay short. */
export function filtersToSearch(filters: ThreadFilters, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  for (const key of ['jurisdiction', 'topic', 'instrument'] as const) {
    for (const value of filters[key]) search.append(key, value);
  }
  if (filters.kind) search.set('kind', filters.kind);
  if (filters.language) search.set('language', filters.language);
  if (filters.author) search.set('author', filters.author);
  if (filters.following) search.set('following', 'true');
  if (filters.unread) search.set('unread', 'true');
  if (filters.sort !== 'latest') search.set('sort', filters.sort);
  for (const [key, value] of Object.entries(extra)) search.set(key, value);
  return search.toString();
}

/** GET /api/threads for these filters and, for the next page, a cursor. */
export function threadListUrl(filters: ThreadFilters, cursor?: string | null, limit = 25): string {
  const extra: Record<string, string> = { limit: String(limit) };
  if (cursor) extra['cursor'] = cursor;
  return `/api/threads?${filtersToSearch(filters, extra)}`;
}

/** Whether any filter narrows the list (the sort does not). */
export function isFiltered(filters: ThreadFilters): boolean {
  return (
    filters.jurisdiction.length + filters.topic.length + filters.instrument.length > 0 ||
    !!filters.kind ||
    !!filters.language ||
    !!filters.author ||
    filters.following ||
    filters.unread
  );
}

/** `/threads/ID#post-N`: the address of one post in its thread. */
export function postAnchor(number: number): string {
  return `post-${number}`;
}

/** The post number a `#post-N` hash points at, if any. */
export function postNumberFromHash(hash: string): number | null {
  const match = /^#?post-(\d+)$/.exec(hash);
  return match ? Number(match[1]) : null;
}

/** Blockquote markdown: every line of the selection prefixed with `> `, after the link to its source. */
export function quoteMarkdown(link: string, name: string, text: string, wrote: string): string {
  const quoted = text
    .trim()
    .split(/\r?\n/)
    .map((line) => (line.trim() ? `> ${line}` : '>'))
    .join('\n');
  return `[${name.replace(/[[\]]/g, '')} ${wrote}](${link}):\n${quoted}\n\n`;
}

/**
 * Whether a thread that was just created belongs in a list with these filters, from what the
 * `thread.created` push says of it. "Following" cannot be told from the push: such a list is
 * left alone (it reloads on its next visit).
 */
export function matchesNewThread(
  filters: ThreadFilters,
  thread: {
    kind: ThreadKind;
    language: string;
    authorId: string;
    jurisdictions: string[];
    topics: string[];
    instruments: string[];
  },
): boolean {
  const anyOf = (wanted: string[], has: string[]) => wanted.length === 0 || wanted.some((value) => has.includes(value));
  return (
    !filters.following &&
    (!filters.kind || filters.kind === thread.kind) &&
    (!filters.language || filters.language === thread.language) &&
    (!filters.author || filters.author === thread.authorId) &&
    anyOf(filters.jurisdiction, thread.jurisdictions) &&
    anyOf(filters.topic, thread.topics) &&
    anyOf(filters.instrument, thread.instruments)
  );
}

/** A mark on a thread set by a moderator, as shown in the list and the thread's header. */
export interface ThreadMark {
  key: 'pinned' | 'locked' | 'resolved' | 'answered' | 'comparative';
  label: string;
  tone: 'accent' | 'warning' | 'success';
}

/** Pinned (everywhere, or within one jurisdiction), locked, and for questions: comparative, resolved, answered. */
export function threadMarks(thread: {
  kind: ThreadKind;
  locked: boolean;
  resolved: boolean;
  /** A question with an accepted answer in view. */
  answered?: boolean;
  /** A question asked of each of its jurisdictions. */
  comparative?: boolean;
  pin: { jurisdiction: string | null } | null;
}): ThreadMark[] {
  const marks: ThreadMark[] = [];
  if (thread.pin) {
    const { jurisdiction } = thread.pin;
    const label = jurisdiction ? m.thread_mark_pinned_in({ jurisdiction }) : m.thread_mark_pinned();
    marks.push({ key: 'pinned', label, tone: 'accent' });
  }
  if (thread.locked) marks.push({ key: 'locked', label: m.thread_mark_locked(), tone: 'warning' });
  if (thread.kind === 'question' && thread.comparative)
    marks.push({ key: 'comparative', label: m.thread_mark_comparative(), tone: 'accent' });
  if (thread.kind === 'question' && thread.resolved)
    marks.push({ key: 'resolved', label: m.thread_mark_resolved(), tone: 'success' });
  if (thread.kind === 'question' && thread.answered)
    marks.push({ key: 'answered', label: m.thread_mark_answered(), tone: 'success' });
  return marks;
}
