/**
 * The accepted answers of questions, as stored (`accepted_answers`) and as read. A mark shows only
 * while its reply is in view (visible, and still in the question's thread): visibility is decided
 * when it is read, on every path, never stored.
 */
import { sqliteOf, type DbOrTx, type PostAnswerMeta } from '@lexforum/db';
import { prepared } from '../../lib/prepared.js';
import { ANSWERED_SQL, MARK_COUNTS_SQL } from './answered-sql.js';

/** The whole question's scope; a comparative question's are jurisdiction codes. */
export const WHOLE_QUESTION = '*';

export interface AcceptedAnswerRow {
  scope: string;
  postId: string;
  number: number;
  authorId: string;
  cooked: string;
  acceptedById: string | null;
  acceptedByName: string | null;
  acceptedAt: number;
}

/**
 * The marks of a thread that count (MARK_COUNTS_SQL) and whose replies are in view, the whole
 * question's first.
 */
export function acceptedAnswersOf(db: DbOrTx, threadId: string): AcceptedAnswerRow[] {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'answers.ofThread', () =>
    sqlite.prepare<[string], AcceptedAnswerRow>(
      `select aa.scope, aa.post_id as postId, ap.number, ap.author_id as authorId, ap.cooked,
         aa.accepted_by_id as acceptedById, b.display_name as acceptedByName, aa.accepted_at as acceptedAt
       from accepted_answers aa join threads t on t.id = aa.thread_id
       join posts ap on ap.id = aa.post_id and ap.thread_id = aa.thread_id and ap.state = 'visible'
       left join users b on b.id = aa.accepted_by_id
       where aa.thread_id = ? and ${MARK_COUNTS_SQL} order by aa.scope = '${WHOLE_QUESTION}' desc, aa.scope`,
    ),
  ).all(threadId);
}

/** Whether one thread has an accepted answer in view (lists read it with ANSWERED_SQL in their own query). */
export function isAnswered(db: DbOrTx, threadId: string): boolean {
  const sqlite = sqliteOf(db);
  return (
    prepared(sqlite, 'answers.answered', () =>
      sqlite.prepare<[string], number>(`select ${ANSWERED_SQL} from threads t where t.id = ?`).pluck(),
    ).get(threadId) === 1
  );
}

/** Which of these threads have an accepted answer in view (one query for a page of them). */
export function answeredAmong(db: DbOrTx, threadIds: readonly string[]): Set<string> {
  if (threadIds.length === 0) return new Set();
  const sqlite = sqliteOf(db);
  return new Set(
    prepared(sqlite, 'answers.answeredAmong', () =>
      sqlite
        .prepare<[string], string>(
          `select t.id from threads t where t.id in (select value from json_each(?)) and t.kind = 'question'
           and ${ANSWERED_SQL}`,
        )
        .pluck(),
    ).all(JSON.stringify(threadIds)),
  );
}

/** The stored mark of one scope, in view or not. */
export function storedMark(db: DbOrTx, threadId: string, scope: string): { postId: string } | undefined {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'answers.stored', () =>
    sqlite.prepare<[string, string], { postId: string }>(
      'select post_id as postId from accepted_answers where thread_id = ? and scope = ?',
    ),
  ).get(threadId, scope);
}

export function writeMark(
  db: DbOrTx,
  mark: { threadId: string; scope: string; postId: string; acceptedById: string; acceptedAt: Date },
): void {
  const sqlite = sqliteOf(db);
  prepared(sqlite, 'answers.write', () =>
    sqlite.prepare(
      `insert into accepted_answers (thread_id, scope, post_id, accepted_by_id, accepted_at) values (?, ?, ?, ?, ?)
       on conflict (thread_id, scope) do update set post_id = excluded.post_id,
         accepted_by_id = excluded.accepted_by_id, accepted_at = excluded.accepted_at`,
    ),
  ).run(mark.threadId, mark.scope, mark.postId, mark.acceptedById, mark.acceptedAt.getTime());
}

export function removeMark(db: DbOrTx, threadId: string, scope: string): void {
  const sqlite = sqliteOf(db);
  prepared(sqlite, 'answers.remove', () =>
    sqlite.prepare('delete from accepted_answers where thread_id = ? and scope = ?'),
  ).run(threadId, scope);
}

/** What a reply to a comparative question states, on the post and on its version `version`. */
export function writeAnswerFacts(
  db: DbOrTx,
  postId: string,
  version: number,
  facts: (PostAnswerMeta & { jurisdiction: string }) | null,
): void {
  const sqlite = sqliteOf(db);
  const meta: PostAnswerMeta | null = facts
    ? { provisions: facts.provisions, lawAsOf: facts.lawAsOf, shortAnswer: facts.shortAnswer }
    : null;
  prepared(sqlite, 'answers.writeFacts', () =>
    sqlite.prepare('update posts set answer_for = ?, answer = ? where id = ?'),
  ).run(facts?.jurisdiction ?? null, meta ? JSON.stringify(meta) : null, postId);
  prepared(sqlite, 'answers.writeRevisionFacts', () =>
    sqlite.prepare('update post_revisions set answer = ? where post_id = ? and version = ?'),
  ).run(facts ? JSON.stringify(facts) : null, postId, version);
}
