/**
 * Bookmarks: a member saves a post they can read, with an optional note and reminder date, lists
 * them, and removes them. Whether each saved post can still be read is decided when the list is
 * read: one hidden or removed since (or its thread) stays in the list, withheld, until removed.
 */
import type { Db } from '@lexforum/db';
import {
  BOOKMARK_RULES,
  checkText,
  type Bookmark,
  type BookmarkBody,
  type BookmarkPage,
  type BookmarkQuery,
} from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { fieldError, notFound } from '../../lib/errors.js';
import { formatTimeCursor, parseTimeCursor } from '../../lib/time-cursor.js';
import type { Guardian } from '../guardian/guardian.js';
import { postAndThread } from '../moderation/moderation.checks.js';
import { excerptOfHtml } from '../threads/cook.js';
import { findBookmark, listBookmarks, removeBookmark, saveBookmark, type BookmarkRow } from './bookmarks.repository.js';

const PAGE = 30;
/** Ten years: a date past that is a typing slip (and past year 9999 no longer a valid timestamp). */
const REMIND_WITHIN_MS = 10 * 366 * 86_400_000;

export class BookmarkService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  save(guardian: Guardian, postId: string, body: BookmarkBody): Bookmark {
    guardian.ensureForumAccess();
    // A post this member cannot read does not exist for them (404).
    postAndThread(this.db, postId, guardian);
    const now = this.clock.now();
    const userId = guardian.user.id;
    const before = findBookmark(this.db, userId, postId);
    // A field left out keeps what was saved; null clears it.
    const note = body.note === undefined ? (before?.note ?? null) : body.note?.trim() || null;
    if (body.note !== undefined && note !== null) {
      const problem = checkText(note, BOOKMARK_RULES.note);
      if (problem) throw fieldError('/note', problem);
    }
    let remindAt: Date | null = body.remindAt === undefined && before?.remindAt ? new Date(before.remindAt) : null;
    if (body.remindAt) {
      remindAt = new Date(body.remindAt);
      if (Number.isNaN(remindAt.getTime())) throw fieldError('/remindAt', 'Give the reminder as a date and time.');
      // The date already saved may be sent again as it is (it may have passed and been sent).
      const unchanged = before?.remindAt === remindAt.getTime();
      if (!unchanged && remindAt.getTime() <= now.getTime()) {
        throw fieldError('/remindAt', 'Choose a reminder in the future.');
      }
      if (remindAt.getTime() > now.getTime() + REMIND_WITHIN_MS) {
        throw fieldError('/remindAt', 'Choose a reminder within the next ten years.');
      }
    }
    this.db.transaction((tx) => saveBookmark(tx, { userId, postId, note, remindAt, now }));
    return this.view(guardian, findBookmark(this.db, userId, postId)!);
  }

  remove(guardian: Guardian, postId: string): void {
    guardian.ensureForumAccess();
    if (!this.db.transaction((tx) => removeBookmark(tx, guardian.user.id, postId))) throw notFound('That bookmark');
  }

  list(guardian: Guardian, query: BookmarkQuery): BookmarkPage {
    guardian.ensureForumAccess();
    const limit = query.limit ?? PAGE;
    const rows = listBookmarks(this.db, guardian.user.id, {
      threadId: query.threadId ?? null,
      cursor: query.cursor ? parseTimeCursor(query.cursor) : null,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      bookmarks: page.map((row) => this.view(guardian, row)),
      nextCursor: rows.length > limit && last ? formatTimeCursor(last.createdAt, last.postId) : null,
    };
  }

  private view(guardian: Guardian, row: BookmarkRow): Bookmark {
    const thread = {
      jurisdictions: JSON.parse(row.jurisdictions) as string[],
      locked: row.lockedAt !== null,
      authorId: row.threadAuthorId,
      state: row.threadState,
    };
    const available =
      guardian.canSeeThread(thread) &&
      guardian.canSeePostContent({ authorId: row.authorId, state: row.postState }, thread);
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      postId: row.postId,
      note: row.note,
      remindAt: iso(row.remindAt),
      remindedAt: iso(row.remindedAt),
      createdAt: new Date(row.createdAt).toISOString(),
      available,
      threadId: available ? row.threadId : null,
      threadTitle: available ? row.threadTitle : null,
      threadKind: available ? row.threadKind : null,
      language: available ? row.language : null,
      number: available ? row.number : null,
      author: available ? { id: row.authorId, displayName: row.authorName } : null,
      excerpt: available ? excerptOfHtml(row.cooked, 200) : null,
    };
  }
}
