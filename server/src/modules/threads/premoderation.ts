/**
 * Pre-moderation: a member's first few posts (the `premoderatedPosts` setting) and every post
 * of a member placed under review wait for a moderator. Staff are never held. Their edits and
 * thread changes wait too.
 */
import type { Db } from '@lexforum/db';
import type { Guardian } from '../guardian/guardian.js';
import { readSettings } from '../settings/settings.repository.js';
import * as repo from './threads.repository.js';

export function mustPremoderate(db: Db, guardian: Guardian): boolean {
  if (guardian.isStaff) return false;
  if (guardian.user.underReview) return true;
  const first = readSettings(db).premoderatedPosts;
  return first > 0 && repo.postCountUpTo(db, guardian.user.id, first) < first;
}
