/**
 * Quotes withheld at render time. The composer writes a quote as
 * `[Name wrote](/posts/<id>/history?version=N):` followed by `> quoted text`, so the cooked HTML of
 * a quoting post holds that link in a paragraph of its own followed by a `<blockquote>`. The quoted
 * words are a stored copy of another post: when a reader cannot read that source now (hidden or
 * deleted, in a hidden thread, or gone), the attribution and the quoted block are replaced by a
 * fixed notice, for every reader and on every path that serves cooked HTML. The source's author
 * and the moderators in scope, who can read the source, still see the quote. Nested quotes are
 * checked one by one: a readable quote may hold a withheld one.
 *
 * The sources of a whole page are read in one prepared query (`readQuotes`), and a post without a
 * blockquote costs one substring search.
 */
import { sqliteOf, type DbOrTx } from '@lexforum/db';
import { prepared } from '../../lib/prepared.js';
import type { Guardian, ModeratedPost } from '../guardian/guardian.js';
import { quotedPostIds, quotedPostIdsInMarkdown, withholdQuotes, withholdQuotesInMarkdown } from './quote-blocks.js';

export {
  dropQuotes,
  QUOTE_WITHHELD_HTML,
  QUOTE_WITHHELD_MARKDOWN,
  quotedPostIds,
  quotedPostIdsInMarkdown,
  withholdQuotes,
  withholdQuotesInMarkdown,
} from './quote-blocks.js';

export interface QuoteSource {
  id: string;
  authorId: string;
  state: ModeratedPost['state'];
  thread: { authorId: string; state: ModeratedPost['state']; jurisdictions: string[] };
}

/**
 * Whether `guardian` can read the source now; without a Guardian, as any member other than the
 * source's author reads it (the live pushes' shared variant).
 */
export function canReadSource(guardian: Guardian | null, source: QuoteSource | undefined): boolean {
  if (!source) return false;
  if (!guardian) return source.state === 'visible' && source.thread.state === 'visible';
  return guardian.canSeeThread(source.thread) && guardian.canSeePostContent(source, source.thread);
}

/** The quote sources of some cooked HTML, read once, rendering it for any reader. */
export class QuoteSources {
  constructor(private readonly sources: ReadonlyMap<string, QuoteSource>) {}

  /** `html` as `guardian` may read it (null: as any member other than the sources' authors). */
  render(guardian: Guardian | null, html: string): string {
    return withholdQuotes(html, (id) => canReadSource(guardian, this.sources.get(id)));
  }

  /**
   * The members who may read a quoted source that any other member is refused (its author, and
   * its thread's author), moderators aside: for them `render` differs from `render(null)`.
   */
  privilegedReaders(): Set<string> {
    const out = new Set<string>();
    for (const source of this.sources.values()) {
      if (canReadSource(null, source)) continue;
      out.add(source.authorId);
      out.add(source.thread.authorId);
    }
    return out;
  }

  /** Markdown source as `guardian` may read it. */
  renderSource(guardian: Guardian, source: string): string {
    return withholdQuotesInMarkdown(source, (id) => canReadSource(guardian, this.sources.get(id)));
  }
}

/** Reads the sources quoted in `htmls` in one query (none when nothing is quoted). */
export function readQuotes(db: DbOrTx, htmls: readonly string[], sources: readonly string[] = []): QuoteSources {
  const ids = [...new Set([...htmls.flatMap(quotedPostIds), ...sources.flatMap(quotedPostIdsInMarkdown)])];
  if (ids.length === 0) return new QuoteSources(new Map());
  const sqlite = sqliteOf(db);
  const statement = prepared(sqlite, 'quotes.sources', () =>
    sqlite.prepare<
      [string],
      {
        id: string;
        authorId: string;
        state: string;
        threadAuthorId: string;
        threadState: string;
        jurisdictions: string;
      }
    >(
      `select p.id, p.author_id as authorId, p.state, t.author_id as threadAuthorId, t.state as threadState,
              t.jurisdictions
       from posts p join threads t on t.id = p.thread_id
       where p.id in (select value from json_each(?))`,
    ),
  );
  const rows = statement.all(JSON.stringify(ids));
  return new QuoteSources(
    new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          authorId: r.authorId,
          state: r.state as QuoteSource['state'],
          thread: {
            authorId: r.threadAuthorId,
            state: r.threadState as QuoteSource['state'],
            jurisdictions: JSON.parse(r.jurisdictions) as string[],
          },
        },
      ]),
    ),
  );
}
