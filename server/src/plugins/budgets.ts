/**
 * Per-member budgets for expensive writes, besides the per-IP rate limit: one member (on however
 * many addresses) cannot flood the forum with posts, edits, draft saves or reports. A route opts
 * in with `config: { budget: 'posts' }` (and `429` in its response schema); each signed-in
 * request to it takes a token from that member's bucket for the class, refilled at a steady rate
 * up to a burst (BUDGET_<CLASS>_BURST, BUDGET_<CLASS>_PER_HOUR). An empty bucket answers 429
 * `RATE_LIMITED` with `Retry-After`. Buckets live in memory (one process) and follow `app.clock`.
 */
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.js';

export const BUDGET_CLASSES = [
  'posts',
  'edits',
  'drafts',
  'reports',
  'uploads',
  'messages',
  'conversations',
  'new_member_messages',
  'new_member_conversations',
] as const;

/**
 * The classes a route names that have a tighter twin for new members (verified less than
 * DM_NEW_MEMBER_DAYS ago): unsolicited messages are the abuse a new account is made for.
 */
const NEW_MEMBER_CLASS: Partial<Record<BudgetClass, BudgetClass>> = {
  messages: 'new_member_messages',
  conversations: 'new_member_conversations',
};
export type BudgetClass = (typeof BUDGET_CLASSES)[number];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The per-member budget(s) this route spends a token of (plugins/budgets.ts): of each, or of none. */
    budget?: BudgetClass | readonly BudgetClass[];
  }
}

export interface BudgetRule {
  burst: number;
  perHour: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets per member and class; `take` answers how long to wait when the bucket is empty. */
export class Budgets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly rules: Record<BudgetClass, BudgetRule>) {}

  /** Takes a token; returns 0 if there was one, else the milliseconds until there is. */
  take(budget: BudgetClass, userId: string, now: number): number {
    return this.takeAll([budget], userId, now);
  }

  /**
   * Takes a token of each budget, or none when one of them is empty; returns 0 if it took them,
   * else the milliseconds until every one has a token.
   */
  takeAll(budgets: readonly BudgetClass[], userId: string, now: number): number {
    const levels = budgets.map((budget) => {
      const rule = this.rules[budget];
      const key = `${budget}:${userId}`;
      const perMs = rule.perHour / 3_600_000;
      const bucket = this.buckets.get(key) ?? { tokens: rule.burst, at: now };
      return { key, perMs, tokens: Math.min(rule.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs) };
    });
    const waitMs = Math.max(0, ...levels.map((l) => (l.tokens < 1 ? Math.ceil((1 - l.tokens) / l.perMs) : 0)));
    for (const l of levels) this.buckets.set(l.key, { tokens: waitMs > 0 ? l.tokens : l.tokens - 1, at: now });
    if (waitMs === 0 && this.buckets.size > 10_000) this.sweep(now);
    return waitMs;
  }

  /** Forgets buckets that have filled up again (they are the same as no bucket). */
  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const rule = this.rules[key.slice(0, key.indexOf(':')) as BudgetClass];
      if (bucket.tokens + (now - bucket.at) * (rule.perHour / 3_600_000) >= rule.burst) this.buckets.delete(key);
    }
  }
}

export default fp(
  async (app) => {
    const c = app.config;
    const budgets = new Budgets({
      posts: { burst: c.BUDGET_POSTS_BURST, perHour: c.BUDGET_POSTS_PER_HOUR },
      edits: { burst: c.BUDGET_EDITS_BURST, perHour: c.BUDGET_EDITS_PER_HOUR },
      drafts: { burst: c.BUDGET_DRAFTS_BURST, perHour: c.BUDGET_DRAFTS_PER_HOUR },
      reports: { burst: c.BUDGET_REPORTS_BURST, perHour: c.BUDGET_REPORTS_PER_HOUR },
      uploads: { burst: c.BUDGET_UPLOADS_BURST, perHour: c.BUDGET_UPLOADS_PER_HOUR },
      messages: { burst: c.BUDGET_MESSAGES_BURST, perHour: c.BUDGET_MESSAGES_PER_HOUR },
      conversations: { burst: c.BUDGET_CONVERSATIONS_BURST, perHour: c.BUDGET_CONVERSATIONS_PER_HOUR },
      new_member_messages: {
        burst: c.BUDGET_NEW_MEMBER_MESSAGES_BURST,
        perHour: c.BUDGET_NEW_MEMBER_MESSAGES_PER_HOUR,
      },
      new_member_conversations: {
        burst: c.BUDGET_NEW_MEMBER_CONVERSATIONS_BURST,
        perHour: c.BUDGET_NEW_MEMBER_CONVERSATIONS_PER_HOUR,
      },
    });
    const newMemberMs = c.DM_NEW_MEMBER_DAYS * 24 * 3_600_000;
    // After validation (a malformed request is refused for free) and before the handler's work.
    app.addHook('preHandler', async (request) => {
      const named = request.routeOptions.config.budget;
      const user = request.auth?.user;
      if (!named || !user) return;
      const now = app.clock.now().getTime();
      const newMember = user.verifiedAt !== null && now - user.verifiedAt.getTime() < newMemberMs;
      const classes = (typeof named === 'string' ? [named] : named).map(
        (budget) => (newMember && NEW_MEMBER_CLASS[budget]) || budget,
      );
      const waitMs = budgets.takeAll(classes, user.id, now);
      if (waitMs > 0) {
        throw new AppError(429, 'RATE_LIMITED', 'You are doing that too often. Please wait a moment and try again.', {
          retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        });
      }
    });
  },
  { name: 'budgets', fastify: '5.x', dependencies: ['auth'] },
);
