/**
 * A member's follows (threads, jurisdictions, topics, instruments) and how far they have read each thread.
 */
import type { Db } from '@lexforum/db';
import type { FollowList, FollowState, FollowTarget, ReadState } from '@lexforum/shared';
import type { Clock } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import type { Guardian } from '../guardian/guardian.js';
import { markThreadNotificationsRead } from '../notifications/notifications.repository.js';
import { transact, type Publisher } from '../realtime/outbox.js';
import type { ReferenceRepository } from '../reference/reference.repository.js';
import type { ThreadReadService } from './reading.service.js';
import { threadFacts } from './thread-views.js';
import * as repo from './threads.repository.js';

const FOLLOW_TARGET_NAMES: Record<FollowTarget, string> = {
  thread: 'That thread',
  jurisdiction: 'That jurisdiction',
  topic: 'That topic',
  instrument: 'That instrument',
};

export class FollowService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly realtime: Publisher,
    private readonly reference: ReferenceRepository,
    private readonly reads: ThreadReadService,
  ) {}

  markRead(guardian: Guardian, threadId: string, lastReadNumber: number): ReadState {
    guardian.ensureForumAccess();
    const thread = this.reads.seeableThread(guardian, threadId);
    const number = Math.min(lastReadNumber, thread.postCount);
    const now = this.clock.now();
    transact(this.db, this.realtime, (tx, outbox) => {
      repo.markRead(tx, guardian.user.id, threadId, number, now);
      markThreadNotificationsRead(tx, outbox, guardian.user.id, threadId, number, now);
    });
    return { threadId, lastReadNumber: repo.readNumber(this.db, guardian.user.id, threadId) };
  }

  listFollows(guardian: Guardian): FollowList {
    guardian.ensureForumAccess();
    const rows = repo.listFollows(this.db, guardian.user.id);
    const topicNames = new Map(this.reference.listTopics().map((t) => [t.slug, t.name]));
    const instrumentNames = new Map(this.reference.listInstruments().map((i) => [i.slug, i.shortName]));
    return {
      threads: rows
        .filter((r) => r.target === 'thread' && r.title !== null)
        .map((r) => ({ id: r.key, title: r.title! })),
      jurisdictions: rows
        .filter((r) => r.target === 'jurisdiction')
        .map((r) => ({ code: r.key, name: this.reference.jurisdictionName(r.key) ?? r.key })),
      topics: rows
        .filter((r) => r.target === 'topic')
        .map((r) => ({ code: r.key, name: topicNames.get(r.key) ?? r.key })),
      instruments: rows
        .filter((r) => r.target === 'instrument')
        .map((r) => ({ code: r.key, name: instrumentNames.get(r.key) ?? r.key })),
    };
  }

  setFollow(guardian: Guardian, target: FollowTarget, key: string, following: boolean): FollowState {
    guardian.ensureForumAccess();
    const thread = target === 'thread' ? repo.findThread(this.db, key) : undefined;
    const known =
      target === 'thread'
        ? thread !== undefined && guardian.canSeeThread(threadFacts(thread))
        : target === 'jurisdiction'
          ? this.reference.jurisdictionName(key) !== null
          : target === 'topic'
            ? this.reference.listTopics().some((t) => t.slug === key)
            : this.reference.listInstruments().some((i) => i.slug === key);
    if (!known) throw notFound(FOLLOW_TARGET_NAMES[target]);
    if (following) repo.follow(this.db, guardian.user.id, target, key, this.clock.now());
    else repo.unfollow(this.db, guardian.user.id, target, key);
    return { target, key, following };
  }
}
