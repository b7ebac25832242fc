/**
 * The checks every moderation action starts with: the post (and its thread) the moderator may
 * see, the reason they give, and the 409 an action on something in the wrong state answers.
 */
import type { DbOrTx, PostRow, ThreadRow } from '@lexforum/db';
import { checkText, MODERATION_RULES } from '@lexforum/shared';
import { AppError, fieldError, notFound } from '../../lib/errors.js';
import type { Guardian } from '../guardian/guardian.js';
import * as threadRepo from '../threads/threads.repository.js';
import { threadFacts } from '../threads/threads.service.js';

export const invalidState = (message: string) => new AppError(409, 'INVALID_STATE', message);

/**
 * The post and its thread; with `guardian`, only if they may see it (a hidden post, or a post in
 * a hidden thread, does not exist for those who cannot read it: 404, never 403).
 */
export function postAndThread(db: DbOrTx, postId: string, guardian?: Guardian): { post: PostRow; thread: ThreadRow } {
  const post = threadRepo.findPost(db, postId);
  const thread = post ? threadRepo.findThread(db, post.threadId) : undefined;
  if (!post || !thread) throw notFound('That post');
  const facts = threadFacts(thread);
  if (guardian && (!guardian.canSeeThread(facts) || !guardian.canSeePostContent(post, facts))) {
    throw notFound('That post');
  }
  return { post, thread };
}

/** The moderator's reason, trimmed and checked (it is told to the author and kept in the audit log). */
export function checkReason(reason: string): string {
  const trimmed = reason.trim();
  const problem = checkText(trimmed, MODERATION_RULES.reason);
  if (problem) throw fieldError('/reason', problem);
  return trimmed;
}
