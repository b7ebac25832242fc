/**
 * Spent composer tokens: creating a post or thread records the token of the composer that wrote it
 * (in the same transaction that deletes its draft), so an autosave still in flight, arriving after
 * the post exists, is recognised and discarded instead of bringing the posted text back as a
 * draft. Rows older than a day are pruned as new ones are written: no save is that late.
 */
import { spentDrafts, type DbOrTx } from '@lexforum/db';
import { and, eq, lt } from 'drizzle-orm';

const KEEP_MS = 24 * 3600_000;

export function spendDraftToken(tx: DbOrTx, userId: string, key: string, token: string, now: Date): void {
  tx.delete(spentDrafts)
    .where(lt(spentDrafts.createdAt, new Date(now.getTime() - KEEP_MS)))
    .run();
  tx.insert(spentDrafts).values({ userId, key, token, createdAt: now }).onConflictDoNothing().run();
}

export function isDraftTokenSpent(db: DbOrTx, userId: string, key: string, token: string): boolean {
  return (
    db
      .select({ token: spentDrafts.token })
      .from(spentDrafts)
      .where(and(eq(spentDrafts.userId, userId), eq(spentDrafts.key, key), eq(spentDrafts.token, token)))
      .get() !== undefined
  );
}
