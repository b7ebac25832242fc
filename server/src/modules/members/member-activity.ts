/**
 * A member's threads and replies on their profile, newest first, by cursor. What a reader sees is
 * what search would show them (search-runner.ts `conditions`, the same SQL): members see visible
 * posts of visible threads; a moderator also the hidden and deleted ones in their scope, marked;
 * an admin everything. Read by the author index of `posts`, a page at a time.
 */
import { sqliteOf, type DbOrTx } from '@lexforum/db';
import type { MemberActivityItem, MemberActivityPage, MemberActivityQuery, ThreadKind } from '@lexforum/shared';
import { formatTimeCursor, parseTimeCursor } from '../../lib/time-cursor.js';
import { prepared } from '../../lib/prepared.js';
import { conditions, type SearchScope } from '../search/search-runner.js';
import { excerptOfHtml } from '../threads/cook.js';

const DEFAULT_LIMIT = 20;

interface Row {
  postId: string;
  threadId: string;
  threadTitle: string;
  threadKind: ThreadKind;
  language: string;
  number: number;
  cooked: string;
  createdAt: number;
  state: MemberActivityItem['state'];
}

export function memberActivity(
  db: DbOrTx,
  scope: SearchScope,
  memberId: string,
  query: MemberActivityQuery,
): MemberActivityPage {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const cursor = query.cursor ? parseTimeCursor(query.cursor) : null;
  // The visibility of search, and the member as the author (no other filter).
  const visibility = conditions(
    {
      scope,
      filters: {
        jurisdictions: [],
        topics: [],
        instruments: [],
        kind: null,
        language: null,
        authorId: memberId,
        afterMs: null,
        beforeMs: null,
        status: null,
        threadId: null,
      },
    },
    false,
  );
  const where = [
    ...visibility.sql,
    query.kind === 'threads' ? 'p.number = 1' : 'p.number > 1',
    // A range on the author index, then the tie on equal times.
    ...(cursor ? ['p.created_at <= ? and (p.created_at < ? or p.id < ?)'] : []),
  ];
  const sqlite = sqliteOf(db);
  // A handful of shapes (scope × kind × cursor), each prepared once.
  const text = `select p.id as postId, p.thread_id as threadId, t.title as threadTitle, t.kind as threadKind,
      t.language, p.number, p.cooked, p.created_at as createdAt,
      case when p.state <> 'visible' then p.state else t.state end as state
    from posts p join threads t on t.id = p.thread_id
    where ${where.join(' and ')}
    order by p.created_at desc, p.id desc limit ?`;
  const statement = prepared(sqlite, `members.activity:${text}`, () => sqlite.prepare<unknown[], Row>(text));
  const params = [...visibility.params, ...(cursor ? [cursor.at, cursor.at, cursor.id] : []), limit + 1];
  const rows = statement.all(...params);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      postId: r.postId,
      threadId: r.threadId,
      threadTitle: r.threadTitle,
      threadKind: r.threadKind,
      language: r.language,
      number: r.number,
      excerpt: excerptOfHtml(r.cooked, 200),
      createdAt: new Date(r.createdAt).toISOString(),
      state: r.state,
    })),
    nextCursor: rows.length > limit && last ? formatTimeCursor(last.createdAt, last.postId) : null,
  };
}
