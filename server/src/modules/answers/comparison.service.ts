/**
 * A comparative question side by side: one row per jurisdiction asked, each with the replies in
 * view that answer for it (the accepted one first), and the same as CSV. What shows is decided
 * now, for this reader: hidden, deleted and moved replies answer nothing.
 */
import { sqliteOf, type Db, type PostAnswerMeta } from '@lexforum/db';
import type { Comparison, ComparisonAnswer } from '@lexforum/shared';
import { notFound } from '../../lib/errors.js';
import { prepared } from '../../lib/prepared.js';
import type { Guardian } from '../guardian/guardian.js';
import { invalidState } from '../moderation/moderation.checks.js';
import { excerptOfHtml } from '../threads/cook.js';
import { dropQuotes } from '../threads/quote-blocks.js';
import { readQuotes } from '../threads/quotes.js';
import { postAuthor, threadFacts, type ThreadViews } from '../threads/thread-views.js';
import * as threadRepo from '../threads/threads.repository.js';

interface AnswerRow {
  id: string;
  number: number;
  version: number;
  authorId: string;
  cooked: string;
  answerFor: string;
  answer: string;
  createdAt: number;
  accepted: number;
}

/**
 * The short form of an answer: its short answer, else its own first paragraph (quotes of other
 * posts left out), as plain text.
 */
export function shortFormOf(meta: PostAnswerMeta, cooked: string): string {
  if (meta.shortAnswer) return meta.shortAnswer;
  const own = dropQuotes(cooked);
  const first = /<p[\s>][\s\S]*?<\/p>/.exec(own)?.[0] ?? own;
  return excerptOfHtml(first, 400);
}

export class ComparisonService {
  constructor(
    private readonly db: Db,
    private readonly views: ThreadViews,
  ) {}

  comparison(guardian: Guardian, threadId: string): Comparison {
    guardian.ensureForumAccess();
    const thread = threadRepo.findThread(this.db, threadId);
    if (!thread || !guardian.canSeeThread(threadFacts(thread))) throw notFound('That thread');
    if (thread.kind !== 'question' || !thread.comparative) {
      throw invalidState('Only a comparative question has a comparison.');
    }
    const sqlite = sqliteOf(this.db);
    const rows = prepared(sqlite, 'answers.comparison', () =>
      sqlite.prepare<[string], AnswerRow>(
        `select p.id, p.number, p.version, p.author_id as authorId, p.cooked, p.answer_for as answerFor, p.answer,
           p.created_at as createdAt,
           exists (select 1 from accepted_answers a where a.thread_id = p.thread_id and a.scope = p.answer_for
             and a.post_id = p.id) as accepted
         from posts p
         where p.thread_id = ? and p.answer_for is not null and p.state = 'visible' and p.number > 1
         order by accepted desc, p.number`,
      ),
    ).all(threadId);
    const authors = this.views.authorsOf([thread.authorId, ...rows.map((r) => r.authorId)]);
    const byJurisdiction = new Map<string, ComparisonAnswer[]>();
    for (const r of rows) {
      const meta = JSON.parse(r.answer) as PostAnswerMeta;
      const list = byJurisdiction.get(r.answerFor) ?? [];
      list.push({
        postId: r.id,
        number: r.number,
        version: r.version,
        author: postAuthor(r.authorId, authors.get(r.authorId)),
        short: shortFormOf(meta, r.cooked),
        provisions: meta.provisions,
        lawAsOf: meta.lawAsOf,
        accepted: r.accepted === 1,
        createdAt: new Date(r.createdAt).toISOString(),
      });
      byJurisdiction.set(r.answerFor, list);
    }
    const opener = threadRepo.findOpeningPost(this.db, threadId);
    const cooked =
      opener && guardian.canSeePostContent(opener, threadFacts(thread))
        ? readQuotes(this.db, [opener.cooked]).render(guardian, opener.cooked)
        : '';
    const author = authors.get(thread.authorId);
    return {
      thread: {
        id: thread.id,
        title: thread.title,
        language: thread.language,
        author: { id: thread.authorId, displayName: author?.row.displayName ?? '' },
        createdAt: thread.createdAt.toISOString(),
        cooked,
      },
      rows: this.views.jurisdictionTags(thread.jurisdictions).map((jurisdiction) => ({
        jurisdiction,
        answers: byJurisdiction.get(jurisdiction.code) ?? [],
      })),
    };
  }
}

const CSV_COLUMNS = [
  'Jurisdiction code',
  'Jurisdiction',
  'Status',
  'Short answer',
  'Provisions',
  'Law as of',
  'Author',
  'Author position',
  'Post',
  'Version',
  'Address',
] as const;

/**
 * One CSV cell, quoted. A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a
 * tab or carriage return first) is prefixed with an apostrophe (OWASP's advice on CSV injection).
 */
function cell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

/** The comparison as CSV (RFC 4180, CRLF, UTF-8 with a byte-order mark so spreadsheets read it as such). */
export function comparisonCsv(comparison: Comparison, origin: string): string {
  const lines = [CSV_COLUMNS.map(cell).join(',')];
  for (const row of comparison.rows) {
    const { code, name } = row.jurisdiction;
    if (row.answers.length === 0) {
      lines.push([code, name, 'no answer yet', '', '', '', '', '', '', '', ''].map(cell).join(','));
      continue;
    }
    for (const a of row.answers) {
      const badge = a.author.badge;
      lines.push(
        [
          code,
          name,
          a.accepted ? 'accepted' : 'answer',
          a.short,
          a.provisions.join('; '),
          a.lawAsOf,
          a.author.displayName,
          badge ? `${badge.position}, ${badge.institution} (${badge.jurisdictionName})` : '',
          a.number,
          a.version,
          `${origin}/posts/${a.postId}/history?version=${a.version}`,
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
