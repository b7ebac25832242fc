/**
 * Search, similar threads and suggestions. Access first (vetted, active members only), then the
 * query parsed and its operators merged with the page's filters and checked against the reference
 * data, then the search itself in the pool (search-runner.ts decides visibility in SQL for this
 * reader), then the page of results dressed with names, tags and badges on the main thread.
 */
import { threads, users, type Db, type ThreadRow, type UserRow } from '@lexforum/db';
import {
  SEARCH_PAGE_DEFAULT,
  SEARCH_SNIPPETS_PER_THREAD,
  SIMILAR_MAX,
  type FacetValue,
  type SearchPage,
  type SearchQuery,
  type SimilarPage,
  type SuggestPage,
  type ThreadKind,
} from '@lexforum/shared';
import { and, inArray, ne, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../lib/clock.js';
import { prepared } from '../../lib/prepared.js';
import { AppError } from '../../lib/errors.js';
import { answeredAmong } from '../answers/answers.queries.js';
import type { Guardian } from '../guardian/guardian.js';
import type { ReferenceRepository } from '../reference/reference.repository.js';
import type { UserViews } from '../users/users.views.js';
import * as threadsRepo from '../threads/threads.repository.js';
import { highlightTerms, parseQuery, type ParsedQuery } from './query-parser.js';
import type { SearchPool } from './search-pool.js';
import type { SearchOutcome, SearchScope, TitleHit, ResolvedFilters } from './search-runner.js';
import { fold, words } from '@lexforum/db';

const DAY = 86_400_000;

interface FoldedName {
  code: string;
  name: string;
  /** The folded name, and its words (prefix matching). */
  whole: string;
  words: string[];
}

function invalid(path: string, message: string): AppError {
  return new AppError(400, 'VALIDATION_FAILED', message, { issues: [{ path, message }] });
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o${offset}`).toString('base64url');
}

function decodeCursor(raw: string): number | undefined {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const m = /^o(\d{1,6})$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly reference: ReferenceRepository,
    private readonly userViews: UserViews,
    private readonly pool: SearchPool,
  ) {}

  /** What this reader may find: search's visibility, shared by the member profile's lists. */
  static scopeOf(guardian: Guardian): SearchScope {
    if (guardian.isAdmin) return { role: 'admin' };
    if (guardian.isStaff) return { role: 'moderator', covered: [...(guardian.scope() ?? [])] };
    return { role: 'member' };
  }

  async search(guardian: Guardian, query: SearchQuery): Promise<SearchPage> {
    guardian.ensureForumAccess();
    const started = performance.now();
    const parsed = parseQuery(query.q ?? '');
    if (query.in === 'title') parsed.filters.inTitle = true;
    if (parsed.problems.length > 0) {
      const issues = parsed.problems.map((p) => ({
        path: '/q',
        code: p.code,
        message: p.message,
        params: { operator: p.operator, value: p.value },
      }));
      throw new AppError(400, 'VALIDATION_FAILED', issues[0]!.message, { issues });
    }
    if (parsed.clauses.length === 0 && parsed.excluded.length > 0) {
      throw invalid('/q', 'Add at least one word to look for: a search cannot be made of exclusions only.');
    }
    const offset = query.cursor ? decodeCursor(query.cursor) : 0;
    if (offset === undefined) throw invalid('/cursor', 'This cursor is not one the server gave.');
    const { filters, authorRow } = this.resolveFilters(parsed, query);
    const sort = query.sort ?? (parsed.clauses.length > 0 ? 'relevance' : 'date');
    const limit = query.limit ?? SEARCH_PAGE_DEFAULT;
    const highlight = highlightTerms(parsed);
    const outcome = await this.pool.run<SearchOutcome>({
      type: 'search',
      query: { clauses: parsed.clauses, excluded: parsed.excluded, inTitle: parsed.filters.inTitle },
      filters,
      scope: SearchService.scopeOf(guardian),
      sort,
      offset,
      limit,
      highlight,
      snippetsPerThread: SEARCH_SNIPPETS_PER_THREAD,
      now: this.clock.now().getTime(),
    });
    return {
      terms: highlight,
      filters: {
        jurisdictions: filters.jurisdictions,
        topics: filters.topics,
        instruments: filters.instruments,
        kind: (filters.kind as ThreadKind | null) ?? null,
        language: filters.language,
        author: authorRow?.username ?? null,
        after: parsed.filters.after ?? query.after ?? null,
        before: parsed.filters.before ?? query.before ?? null,
        status: filters.status,
        inTitle: parsed.filters.inTitle,
        thread: filters.threadId,
      },
      sort,
      results: this.dress(outcome),
      total: outcome.total,
      facets: this.facets(outcome, filters),
      notice: outcome.notice,
      nextCursor: outcome.hasMore ? encodeCursor(offset + limit) : null,
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  }

  /** The query's operators merged with the parameters, checked, and names turned into ids. */
  private resolveFilters(
    parsed: ParsedQuery,
    query: SearchQuery,
  ): { filters: ResolvedFilters; authorRow: UserRow | null } {
    const o = parsed.filters;
    const unique = (list: string[]) => [...new Set(list)];
    const jurisdictions = unique([...o.jurisdictions, ...(query.jurisdiction ?? [])]);
    const topics = unique([...o.topics, ...(query.topic ?? [])]);
    const instruments = unique([...o.instruments, ...(query.instrument ?? [])]);
    const known = {
      jurisdictions: new Set(this.reference.listJurisdictions().map((j) => j.code)),
      topics: new Set(this.reference.listTopics().map((t) => t.slug)),
      instruments: new Set(this.reference.listInstruments().map((i) => i.slug)),
    };
    for (const code of jurisdictions) {
      if (!known.jurisdictions.has(code))
        throw invalid('/q', `There is no jurisdiction "${code}": use its code, such as KE or FR.`);
    }
    for (const slug of topics) {
      if (!known.topics.has(slug)) throw invalid('/q', `There is no topic "${slug}".`);
    }
    for (const slug of instruments) {
      if (!known.instruments.has(slug)) throw invalid('/q', `There is no instrument "${slug}".`);
    }
    if (jurisdictions.length > 20 || topics.length > 20 || instruments.length > 20) {
      throw invalid('/q', 'At most 20 jurisdictions, topics or instruments at once.');
    }
    const authorName = (o.author ?? query.author?.replace(/^@/, '') ?? null)?.toLowerCase() ?? null;
    let authorRow: UserRow | null = null;
    if (authorName) {
      authorRow =
        this.db
          .select()
          .from(users)
          .where(and(eq(sql`lower(${users.username})`, authorName), ne(users.role, 'applicant')))
          .get() ?? null;
      if (!authorRow) throw invalid('/q', `There is no member @${authorName}.`);
    }
    const after = o.after ?? query.after ?? null;
    const before = o.before ?? query.before ?? null;
    const afterMs = after ? Date.parse(`${after}T00:00:00Z`) : null;
    const beforeMs = before ? Date.parse(`${before}T00:00:00Z`) + DAY : null;
    if (afterMs !== null && beforeMs !== null && afterMs >= beforeMs) {
      throw invalid('/q', `"after" (${after}) must come before "before" (${before}).`);
    }
    return {
      authorRow,
      filters: {
        jurisdictions,
        topics,
        instruments,
        kind: o.kind ?? query.kind ?? null,
        language: query.language ?? null,
        authorId: authorRow?.id ?? null,
        afterMs,
        beforeMs,
        status: o.status ?? query.status ?? null,
        threadId: query.thread ?? null,
      },
    };
  }

  /** Threads, authors and tags of the page, named for the reader. */
  private dress(outcome: SearchOutcome): SearchPage['results'] {
    if (outcome.threads.length === 0) return [];
    const rows = this.threadsByIds(outcome.threads.map((hit) => hit.threadId));
    const answered = answeredAmong(this.db, [...rows.keys()]);
    const authorIds = new Set<string>();
    for (const hit of outcome.threads) {
      const t = rows.get(hit.threadId);
      if (t) authorIds.add(t.authorId);
      for (const p of hit.posts) authorIds.add(p.authorId);
    }
    const authors = this.authorsOf([...authorIds]);
    const names = this.tagNames();
    const results: SearchPage['results'] = [];
    for (const hit of outcome.threads) {
      const t = rows.get(hit.threadId);
      if (!t) continue; // deleted between the search and now
      results.push({
        thread: {
          id: t.id,
          kind: t.kind,
          title: t.title,
          language: t.language,
          titleSegments: hit.titleSegments,
          jurisdictions: t.jurisdictions.map((code) => ({ code, name: this.reference.jurisdictionName(code) ?? code })),
          topics: t.topics.map((code) => ({ code, name: names.topics.get(code) ?? code })),
          citations: t.citations.map((c) => ({
            instrument: c.instrument,
            shortName: names.instruments.get(c.instrument) ?? c.instrument,
            provision: c.provision,
          })),
          author: authors(t.authorId),
          createdAt: t.createdAt.toISOString(),
          lastPostAt: t.lastPostAt.toISOString(),
          replyCount: Math.max(0, t.postCount - 1 - t.hiddenCount),
          resolved: t.resolvedAt !== null,
          answered: answered.has(t.id),
          locked: t.lockedAt !== null,
          state: t.state,
        },
        matchCount: hit.matchCount,
        posts: hit.posts.map((p) => ({
          id: p.postId,
          number: p.number,
          author: authors(p.authorId),
          createdAt: new Date(p.createdAt).toISOString(),
          section: p.section,
          snippet: p.snippet,
          state: p.state,
        })),
      });
    }
    return results;
  }

  /** The page's threads in one prepared read. */
  private threadsByIds(ids: string[]): Map<string, ThreadRow> {
    if (ids.length === 0) return new Map();
    const query = prepared(this.db, 'search.threadsByIds', () =>
      this.db
        .select()
        .from(threads)
        .where(sql`${threads.id} in (select value from json_each(${sql.placeholder('ids')}))`)
        .prepare(),
    );
    return new Map(query.all({ ids: JSON.stringify(ids) }).map((t) => [t.id, t]));
  }

  private authorsOf(ids: string[]) {
    const rows = threadsRepo.usersByIds(this.db, ids);
    const badges = this.userViews.badges(rows);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return (id: string) => {
      const row = byId.get(id);
      return {
        id,
        displayName: row?.displayName ?? 'Former member',
        badge: badges.get(id) ?? null,
        role: row && (row.role === 'moderator' || row.role === 'admin') ? row.role : null,
      };
    };
  }

  private tagNames() {
    return {
      topics: new Map(this.reference.listTopics().map((t) => [t.slug, t.name])),
      instruments: new Map(this.reference.listInstruments().map((i) => [i.slug, i.shortName])),
    };
  }

  private facets(outcome: SearchOutcome, filters: ResolvedFilters): SearchPage['facets'] {
    const names = this.tagNames();
    const f = outcome.facets;
    const authorRows = f.authors.length
      ? this.db
          .select({ id: users.id, username: users.username, displayName: users.displayName })
          .from(users)
          .where(
            inArray(
              users.id,
              f.authors.map(([id]) => id),
            ),
          )
          .all()
      : [];
    const authorById = new Map(authorRows.map((r) => [r.id, r]));
    const values = (list: [string, number][], label: (v: string) => string, selected: (v: string) => boolean) =>
      list.map(([value, count]): FacetValue => ({ value, label: label(value), count, selected: selected(value) }));
    return {
      jurisdictions: values(
        f.jurisdictions,
        (code) => this.reference.jurisdictionName(code) ?? code,
        (v) => filters.jurisdictions.includes(v),
      ),
      topics: values(
        f.topics,
        (slug) => names.topics.get(slug) ?? slug,
        (v) => filters.topics.includes(v),
      ),
      instruments: values(
        f.instruments,
        (slug) => names.instruments.get(slug) ?? slug,
        (v) => filters.instruments.includes(v),
      ),
      kinds: values(
        f.kinds,
        (k) => k,
        (v) => filters.kind === v,
      ),
      // Authors are chosen by username (the `@username` operator); the label is the display name.
      authors: f.authors
        .map(([id, count]) => ({ row: authorById.get(id), id, count }))
        .filter((a) => a.row?.username)
        .map((a): FacetValue => ({
          value: a.row!.username!,
          label: a.row!.displayName,
          count: a.count,
          selected: filters.authorId === a.id,
        })),
    };
  }

  /** "Already discussed?": up to five visible threads whose titles share informative words. */
  async similar(guardian: Guardian, title: string): Promise<SimilarPage> {
    guardian.ensureForumAccess();
    const list = [...new Set(words(fold(title)))];
    if (list.length === 0 || title.trim().length < 3) return { threads: [] };
    const hits = await this.pool.run<TitleHit[]>({
      type: 'similar',
      words: list.slice(0, 40),
      scope: SearchService.scopeOf(guardian),
      limit: SIMILAR_MAX,
      highlight: list,
    });
    const byId = this.threadsByIds(hits.map((h) => h.threadId));
    const rows = hits.map((h) => ({ hit: h, t: byId.get(h.threadId) })).filter((r) => r.t);
    const answered = answeredAmong(this.db, [...byId.keys()]);
    return {
      threads: rows.map(({ hit, t }) => ({
        id: t!.id,
        kind: t!.kind,
        title: t!.title,
        titleSegments: hit.titleSegments,
        jurisdictions: t!.jurisdictions.map((code) => ({ code, name: this.reference.jurisdictionName(code) ?? code })),
        replyCount: Math.max(0, t!.postCount - 1 - t!.hiddenCount),
        lastPostAt: t!.lastPostAt.toISOString(),
        resolved: t!.resolvedAt !== null,
        answered: answered.has(t!.id),
      })),
    };
  }

  private folded:
    { source: unknown; jurisdictions: FoldedName[]; topics: FoldedName[]; instruments: FoldedName[] } | undefined;

  /** The reference data's names, folded once (again when the reference data is reloaded). */
  private foldedReference() {
    const source = this.reference.listJurisdictions();
    if (this.folded?.source === source) return this.folded;
    const named = (code: string, name: string, ...texts: string[]): FoldedName => {
      const whole = fold(texts.join(' '));
      return { code, name, whole, words: words(whole) };
    };
    this.folded = {
      source,
      jurisdictions: source.map((j) => named(j.code, j.name, j.name)),
      topics: this.reference.listTopics().map((t) => named(t.slug, t.name, t.name)),
      instruments: this.reference.listInstruments().map((i) => named(i.slug, i.shortName, i.shortName, i.title)),
    };
    return this.folded;
  }

  /** What the header's field offers as a member types: threads, members and reference data. */
  async suggest(guardian: Guardian, q: string): Promise<SuggestPage> {
    guardian.ensureForumAccess();
    const folded = fold(q.trim());
    const list = words(folded);
    const empty: SuggestPage = { threads: [], members: [], jurisdictions: [], topics: [], instruments: [] };
    if (list.length === 0) return empty;
    const last = list[list.length - 1]!;
    const hits = await this.pool.run<TitleHit[]>({
      type: 'suggest',
      words: list,
      scope: SearchService.scopeOf(guardian),
      limit: 5,
      highlight: [...list.slice(0, -1), `${last}*`],
    });
    const byId = this.threadsByIds(hits.map((h) => h.threadId));
    const threadRows = hits
      .map((h) => byId.get(h.threadId))
      .filter((t) => t !== undefined)
      .map((t) => ({ id: t.id, title: t.title, kind: t.kind }));
    const matches = (words: readonly string[], whole: string) =>
      whole.startsWith(folded) || words.some((w) => w.startsWith(last));
    const memberRows = prepared(this.db, 'search.suggestMembers', () =>
      this.db
        .select()
        .from(users)
        .where(
          and(
            ne(users.role, 'applicant'),
            eq(users.status, 'active'),
            sql`(lower(${users.username}) like ${sql.placeholder('username')} or ${users.displayName} like ${sql.placeholder('name')})`,
          ),
        )
        .limit(5)
        .prepare(),
    ).all({
      username: `${last.replace(/[%_\\]/g, '')}%`,
      name: `%${q.trim().replace(/[%_\\]/g, '')}%`,
    });
    const ref = this.foldedReference();
    const badges = this.userViews.badges(memberRows);
    const names = this.tagNames();
    return {
      threads: threadRows,
      members: memberRows
        .filter((u) => u.username)
        .map((u) => ({ id: u.id, username: u.username!, displayName: u.displayName, badge: badges.get(u.id) ?? null })),
      jurisdictions: ref.jurisdictions
        .filter((j) => j.code.toLowerCase() === folded || matches(j.words, j.whole))
        .slice(0, 5)
        .map((j) => ({ code: j.code, name: j.name })),
      topics: ref.topics
        .filter((t) => matches(t.words, t.whole))
        .slice(0, 3)
        .map((t) => ({ code: t.code, name: names.topics.get(t.code) ?? t.name })),
      instruments: ref.instruments
        .filter((i) => matches(i.words, i.whole))
        .slice(0, 3)
        .map((i) => ({ code: i.code, name: i.name })),
    };
  }
}
