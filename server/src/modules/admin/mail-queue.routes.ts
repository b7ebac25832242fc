import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminMailIdParams, AdminMailPage, AdminMailQuery, AdminMailRow, MAIL_STATUSES } from '@lexforum/shared';
import { mailOutbox, type MailOutboxRow } from '@lexforum/db';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { AppError, notFound } from '../../lib/errors.js';
import { errorResponses } from '../../lib/schemas.js';
import { recordAudit } from '../audit/audit.repository.js';

const PAGE_SIZE = 50;

function toAdminRow(row: MailOutboxRow): AdminMailRow {
  return {
    id: row.id,
    // Administrators see members' addresses on the account pages already (admin.service.ts).
    to: row.toAddress,
    template: row.template,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/**
 * The mail queue for administrators: counts by status and the rows, newest first (filtered by
 * status), with their errors; a failed message can be put back in the queue at once (audited). Never the
 * bodies: they may hold a link's secret.
 */
export const mailQueueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['admin'];

  app.get(
    '/admin/mail',
    {
      schema: {
        tags,
        summary: 'The mail queue: counts by status and the messages, newest first',
        querystring: AdminMailQuery,
        response: { 200: AdminMailPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      request.guardian().ensureAdmin();
      const { status, before } = request.query;
      const counts = Object.fromEntries(MAIL_STATUSES.map((s) => [s, 0])) as AdminMailPage['counts'];
      for (const r of app.db
        .select({ status: mailOutbox.status, n: sql<number>`count(*)` })
        .from(mailOutbox)
        .groupBy(mailOutbox.status)
        .all()) {
        counts[r.status] = r.n;
      }
      const rows = app.db
        .select()
        .from(mailOutbox)
        .where(and(status ? eq(mailOutbox.status, status) : undefined, before ? lt(mailOutbox.id, before) : undefined))
        .orderBy(desc(mailOutbox.id))
        .limit(PAGE_SIZE + 1)
        .all();
      const page = rows.slice(0, PAGE_SIZE);
      return {
        counts,
        rows: page.map(toAdminRow),
        nextCursor: rows.length > PAGE_SIZE ? page.at(-1)!.id : null,
      };
    },
  );

  app.post(
    '/admin/mail/:id/retry',
    {
      schema: {
        tags,
        summary: 'Put a failed message back in the queue, to be sent now',
        params: AdminMailIdParams,
        response: { 200: AdminMailRow, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      request.guardian().ensureAdmin();
      const row = app.db.select().from(mailOutbox).where(eq(mailOutbox.id, request.params.id)).get();
      if (!row) throw notFound('That message');
      if (row.status !== 'failed') throw new AppError(409, 'INVALID_STATE', 'Only a failed message can be retried.');
      const now = app.clock.now();
      const adminId = request.guardian().user.id;
      // Its attempts start again, so it gets the whole backoff once more; recorded with the change.
      app.db.transaction((tx) => {
        tx.update(mailOutbox)
          .set({ status: 'pending', attempts: 0, rejections: 0, nextAttemptAt: now, claimedAt: null })
          .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.status, 'failed')))
          .run();
        recordAudit(
          tx,
          {
            actorId: adminId,
            action: 'mail.retry',
            targetType: 'mail',
            targetId: String(row.id),
            targetUserId: row.userId,
            before: { status: 'failed', attempts: row.attempts, template: row.template },
            after: { status: 'pending', attempts: 0 },
          },
          now,
        );
      });
      const queued = toAdminRow(app.db.select().from(mailOutbox).where(eq(mailOutbox.id, row.id)).get()!);
      app.mail.deliverInBackground();
      return queued;
    },
  );
};
