/**
 * Search: full-text search of thread titles, opening posts (legal analyses' five sections
 * included) and replies, with the filters of the thread list as facets and as operators typed in
 * the query. Results are grouped by thread; each carries snippets of its matching posts as
 * segments of plain text (`hit` marks a matched word), so a client renders them as text and no
 * stored HTML is ever cut into a snippet.
 *
 * The query language (documented on the search page and in the README):
 *   words            every word must match (case, accents and Arabic diacritics folded)
 *   "exact phrase"   the words in this order
 *   -word, -"a b"    excluded
 *   a OR b           either
 *   medic*           prefix
 *   @username        posts by this member (threads they started, for a query of operators only)
 *   jurisdiction:KE  topic:<slug>  instrument:<slug>  (repeat for any of several)
 *   kind:analysis    kind:question | discussion | case_note (case-note) | legal_analysis (analysis)
 *   in:title         words in thread titles only
 *   after:2024-01-01 before:2024-12-31   posts written in that range (inclusive)
 *   status:resolved  status:open         questions closed as resolved, or not
 *   status:answered  status:unanswered   questions with an accepted answer in view, or without
 */
import Type from 'typebox';
import {
  CalendarDate,
  JurisdictionCode,
  PostAuthor,
  Slug,
  Tag,
  THREAD_KINDS,
  ThreadId,
  ThreadLanguage,
  Citation,
} from './threads.js';

const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const SEARCH_SORTS = ['relevance', 'date'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const SEARCH_STATUSES = ['resolved', 'open', 'answered', 'unanswered'] as const;
export type SearchStatus = (typeof SEARCH_STATUSES)[number];

/** Longest query accepted (characters); longer ones get 400 `VALIDATION_FAILED`. */
export const SEARCH_QUERY_MAX = 1000;
/** Threads per page of results. */
export const SEARCH_PAGE_DEFAULT = 20;
/** Snippets shown per thread (its best-matching posts). */
export const SEARCH_SNIPPETS_PER_THREAD = 3;
/** Similar threads offered while composing ("Already discussed?"). */
export const SIMILAR_MAX = 5;

const Username = Type.String({ minLength: 1, maxLength: 40, pattern: '^@?[\\p{L}\\p{N}_.-]+$' });

export const SearchQuery = Type.Object(
  {
    /** The query as typed: words, phrases, exclusions, OR, prefixes and operators. */
    q: Type.Optional(Type.String({ maxLength: SEARCH_QUERY_MAX })),
    /** Any of these jurisdictions (repeat the parameter), added to `jurisdiction:` operators. */
    jurisdiction: Type.Optional(Type.Array(JurisdictionCode, { maxItems: 20 })),
    topic: Type.Optional(Type.Array(Slug, { maxItems: 20 })),
    instrument: Type.Optional(Type.Array(Slug, { maxItems: 20 })),
    kind: Type.Optional(Type.Enum(THREAD_KINDS)),
    /** Only threads written in this language. */
    language: Type.Optional(ThreadLanguage),
    /** A member's username (posts they wrote). */
    author: Type.Optional(Username),
    after: Type.Optional(CalendarDate),
    before: Type.Optional(CalendarDate),
    status: Type.Optional(Type.Enum(SEARCH_STATUSES)),
    /** Only words in thread titles. */
    in: Type.Optional(Type.Literal('title')),
    /** Search within one thread ("search this thread"). */
    thread: Type.Optional(ThreadId),
    sort: Type.Optional(Type.Enum(SEARCH_SORTS)),
    cursor: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]*$' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Type.Static<typeof SearchQuery>;

/** A piece of snippet or title text; `hit` marks words that matched the query. Plain text. */
export const TextSegment = Type.Object({ text: Type.String(), hit: Type.Boolean() });
export type TextSegment = Type.Static<typeof TextSegment>;

export const SearchPostHit = Type.Object({
  id: Type.String(),
  number: Type.Integer({ minimum: 1 }),
  author: PostAuthor,
  createdAt: Timestamp,
  /** A legal analysis's section the snippet comes from (its key), or null. */
  section: Nullable(Type.String()),
  snippet: Type.Array(TextSegment),
  /** Moderators' results only: a hidden or deleted post they can read in their scope. */
  state: Type.Union([Type.Literal('visible'), Type.Literal('hidden'), Type.Literal('deleted')]),
});
export type SearchPostHit = Type.Static<typeof SearchPostHit>;

export const SearchThreadHit = Type.Object({
  id: Type.String(),
  kind: Type.Enum(THREAD_KINDS),
  title: Type.String(),
  /** The language the thread is written in (ISO 639-1). */
  language: Type.String(),
  /** The title with matched words marked. */
  titleSegments: Type.Array(TextSegment),
  jurisdictions: Type.Array(Tag),
  topics: Type.Array(Tag),
  citations: Type.Array(Citation),
  author: PostAuthor,
  createdAt: Timestamp,
  lastPostAt: Timestamp,
  replyCount: Type.Integer({ minimum: 0 }),
  resolved: Type.Boolean(),
  /** A question with an accepted answer in view. */
  answered: Type.Boolean(),
  locked: Type.Boolean(),
  /** Moderators' results only: the thread's opening post is hidden or deleted. */
  state: Type.Union([Type.Literal('visible'), Type.Literal('hidden'), Type.Literal('deleted')]),
});
export type SearchThreadHit = Type.Static<typeof SearchThreadHit>;

export const SearchResult = Type.Object({
  thread: SearchThreadHit,
  /** Matching posts in this thread that the reader may see (all, not only those with a snippet). */
  matchCount: Type.Integer({ minimum: 0 }),
  /** Up to `SEARCH_SNIPPETS_PER_THREAD` of them, best first. */
  posts: Type.Array(SearchPostHit),
});
export type SearchResult = Type.Static<typeof SearchResult>;

export const FacetValue = Type.Object({
  value: Type.String(),
  /** The name the reader sees (a jurisdiction's name, a member's display name). */
  label: Type.String(),
  /** Matching threads with this value, for the current query. */
  count: Type.Integer({ minimum: 0 }),
  selected: Type.Boolean(),
});
export type FacetValue = Type.Static<typeof FacetValue>;

export const SearchFacets = Type.Object({
  jurisdictions: Type.Array(FacetValue),
  topics: Type.Array(FacetValue),
  instruments: Type.Array(FacetValue),
  kinds: Type.Array(FacetValue),
  authors: Type.Array(FacetValue),
});
export type SearchFacets = Type.Static<typeof SearchFacets>;

/** The filters in force: the query's operators merged with the parameters. */
export const SearchFilters = Type.Object({
  jurisdictions: Type.Array(Type.String()),
  topics: Type.Array(Type.String()),
  instruments: Type.Array(Type.String()),
  kind: Nullable(Type.Enum(THREAD_KINDS)),
  language: Nullable(Type.String()),
  author: Nullable(Type.String()),
  after: Nullable(CalendarDate),
  before: Nullable(CalendarDate),
  status: Nullable(Type.Enum(SEARCH_STATUSES)),
  inTitle: Type.Boolean(),
  thread: Nullable(Type.String()),
});
export type SearchFilters = Type.Static<typeof SearchFilters>;

/**
 * Why a result set is not exhaustive: `common_terms` when the words are so frequent that only the
 * most recent matching posts were ranked (newest first), `capped` when more threads matched than
 * are ranked at once.
 */
export const SEARCH_NOTICES = ['common_terms', 'capped'] as const;
export type SearchNotice = (typeof SEARCH_NOTICES)[number];

export const SearchPage = Type.Object({
  /** The words searched for, folded (what the highlighting matched), for "try without …" hints. */
  terms: Type.Array(Type.String()),
  filters: SearchFilters,
  sort: Type.Enum(SEARCH_SORTS),
  results: Type.Array(SearchResult),
  /** Matching threads (at least this many when `notice` is set). */
  total: Type.Integer({ minimum: 0 }),
  facets: SearchFacets,
  notice: Nullable(Type.Enum(SEARCH_NOTICES)),
  nextCursor: Nullable(Type.String()),
  /** Time spent searching, in milliseconds. */
  tookMs: Type.Number({ minimum: 0 }),
});
export type SearchPage = Type.Static<typeof SearchPage>;

export const SimilarQuery = Type.Object({ title: Type.String({ maxLength: 400 }) }, { additionalProperties: false });
export type SimilarQuery = Type.Static<typeof SimilarQuery>;

export const SimilarThread = Type.Object({
  id: Type.String(),
  kind: Type.Enum(THREAD_KINDS),
  title: Type.String(),
  titleSegments: Type.Array(TextSegment),
  jurisdictions: Type.Array(Tag),
  replyCount: Type.Integer({ minimum: 0 }),
  lastPostAt: Timestamp,
  resolved: Type.Boolean(),
  answered: Type.Boolean(),
});
export type SimilarThread = Type.Static<typeof SimilarThread>;

export const SimilarPage = Type.Object({ threads: Type.Array(SimilarThread) });
export type SimilarPage = Type.Static<typeof SimilarPage>;

export const SuggestQuery = Type.Object({ q: Type.String({ maxLength: 200 }) }, { additionalProperties: false });
export type SuggestQuery = Type.Static<typeof SuggestQuery>;

/** Suggestions as a member types in the header's search field. */
export const SuggestPage = Type.Object({
  threads: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), kind: Type.Enum(THREAD_KINDS) })),
  members: Type.Array(
    Type.Object({
      id: Type.String(),
      username: Type.String(),
      displayName: Type.String(),
      badge: PostAuthor.properties.badge,
    }),
  ),
  jurisdictions: Type.Array(Tag),
  topics: Type.Array(Tag),
  instruments: Type.Array(Tag),
});
export type SuggestPage = Type.Static<typeof SuggestPage>;
