/**
 * Moderation routes: members report posts; moderators and admins work the review queue and act
 * on posts, threads and members. Thin: schema and a call; access rules live in the services
 * (Guardian), and every action's audit entry is written in the action's transaction.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ApproveSubmissionBody,
  IdParams,
  MemberReviewBody,
  MemberReviewState,
  MovePostBody,
  PinBody,
  PostEnvelope,
  ReasonBody,
  ReportBody,
  ReportEnvelope,
  ReviewItemDetail,
  ReviewItemEnvelope,
  ReviewItemParams,
  ReviewQueue,
  ReviewQueueQuery,
  SubmissionList,
  ThreadEnvelope,
  ThreadParams,
} from '@lexforum/shared';
import { errorResponses } from '../../lib/schemas.js';
import { requireAuth } from '../../plugins/auth.js';
import { assertRecentAuth } from '../auth/reauth.js';
import { ThreadService } from '../threads/threads.service.js';
import { MemberModerationService } from './author-moderation.service.js';
import { PostModerationService, type PostAction } from './post-moderation.service.js';
import { ReportService } from './reports.service.js';
import { ReviewQueueService } from './review-queue.service.js';
import { SubmissionReviewService } from './submissions.service.js';
import { ThreadModerationService, type ThreadAction } from './thread-moderation.service.js';

const POST_ACTIONS: readonly PostAction[] = ['dismiss', 'hide', 'restore', 'delete', 'warn', 'suspend-author'];
const THREAD_ACTIONS: readonly ThreadAction[] = ['lock', 'unlock', 'unpin', 'resolve', 'unresolve'];

export const moderationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const threads = new ThreadService(app.db, app.clock, app.reference, app.userViews, app.realtime, app.cookPool);
  const reports = new ReportService(app.db, app.clock, app.realtime, threads);
  const submissions = new SubmissionReviewService(app.db, app.clock, app.realtime, threads);
  const queue = new ReviewQueueService(app.db, app.clock, threads, app.userViews);
  const postModeration = new PostModerationService(app.db, app.clock, app.realtime, threads);
  const threadModeration = new ThreadModerationService(app.db, app.clock, app.realtime, threads);
  const members = new MemberModerationService(app.db, app.clock, app.realtime);
  const tags = ['moderation'];
  const read = errorResponses(400, 401, 403, 404);
  const write = errorResponses(400, 401, 403, 404, 409);
  const budgeted = errorResponses(429);

  app.post(
    '/posts/:id/reports',
    {
      config: { budget: 'reports' },
      schema: {
        tags,
        summary: 'Report a post to the moderators (one open report per member per post)',
        params: IdParams,
        body: ReportBody,
        response: { 201: ReportEnvelope, ...write, ...budgeted },
      },
    },
    async (request, reply) =>
      reply.code(201).send({ report: reports.report(request.guardian(), request.params.id, request.body) }),
  );

  app.get(
    '/account/submissions',
    {
      schema: {
        tags,
        summary: 'Your threads, replies and edits waiting for review, and those decided in the last 30 days',
        response: { 200: SubmissionList, ...read },
      },
    },
    async (request) => submissions.submissions(request.guardian()),
  );

  app.get(
    '/moderation/queue',
    {
      schema: {
        tags,
        summary: 'The review queue in your jurisdictions: open items oldest first, or the closed ones',
        querystring: ReviewQueueQuery,
        response: { 200: ReviewQueue, ...read },
      },
    },
    async (request) => queue.queue(request.guardian(), request.query),
  );

  app.get(
    '/moderation/queue/:id',
    {
      schema: {
        tags,
        summary: 'One review item in context: the post, its thread and parent, revisions, reports, the author’s record',
        params: ReviewItemParams,
        response: { 200: ReviewItemDetail, ...read },
      },
    },
    async (request) => queue.detail(request.guardian(), request.params.id),
  );

  app.post(
    '/moderation/queue/:id/claim',
    {
      schema: {
        tags,
        summary: 'Claim a review item (others see you are on it)',
        params: ReviewItemParams,
        response: { 200: ReviewItemEnvelope, ...write },
      },
    },
    async (request) => ({ item: queue.claim(request.guardian(), request.params.id) }),
  );

  app.delete(
    '/moderation/queue/:id/claim',
    {
      schema: {
        tags,
        summary: 'Release your claim on a review item',
        params: ReviewItemParams,
        response: { 200: ReviewItemEnvelope, ...write },
      },
    },
    async (request) => ({ item: queue.release(request.guardian(), request.params.id) }),
  );

  app.post(
    '/moderation/queue/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve a held thread, reply or edit: it is published (an edit applied), notified and pushed now',
        params: ReviewItemParams,
        body: ApproveSubmissionBody,
        response: { 200: ReviewItemEnvelope, ...write },
      },
    },
    async (request) => ({
      item: await submissions.approve(request.guardian(), request.params.id, request.body.reason),
    }),
  );

  app.post(
    '/moderation/queue/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject a held thread, reply or edit, with the reason its author is told',
        params: ReviewItemParams,
        body: ReasonBody,
        response: { 200: ReviewItemEnvelope, ...write },
      },
    },
    async (request) => ({ item: submissions.reject(request.guardian(), request.params.id, request.body.reason) }),
  );

  for (const action of POST_ACTIONS) {
    app.post(
      `/moderation/posts/:id/${action}`,
      {
        schema: {
          tags,
          summary: `Moderate a post: ${action.replace('-', ' ')}, with a reason`,
          params: IdParams,
          body: ReasonBody,
          response: { 200: PostEnvelope, ...write },
        },
      },
      async (request) => ({
        post: postModeration.postAction(request.guardian(), request.params.id, action, request.body.reason, () =>
          assertRecentAuth(app.db, requireAuth(request), app.clock.now()),
        ),
      }),
    );
  }

  app.post(
    '/moderation/posts/:id/move',
    {
      schema: {
        tags,
        summary: 'Merge a post (and the replies under it) into another thread',
        params: IdParams,
        body: MovePostBody,
        response: { 200: PostEnvelope, ...write },
      },
    },
    async (request) => ({
      post: postModeration.movePost(
        request.guardian(),
        request.params.id,
        request.body.toThreadId,
        request.body.reason,
      ),
    }),
  );

  for (const action of THREAD_ACTIONS) {
    app.post(
      `/moderation/threads/:id/${action}`,
      {
        schema: {
          tags,
          summary: `Moderate a thread: ${action}, with a reason`,
          params: ThreadParams,
          body: ReasonBody,
          response: { 200: ThreadEnvelope, ...write },
        },
      },
      async (request) => ({
        thread: threadModeration.threadAction(request.guardian(), request.params.id, action, request.body.reason),
      }),
    );
  }

  app.post(
    '/moderation/threads/:id/pin',
    {
      schema: {
        tags,
        summary: 'Pin a thread within one of its jurisdictions, or for everyone (admins)',
        params: ThreadParams,
        body: PinBody,
        response: { 200: ThreadEnvelope, ...write },
      },
    },
    async (request) => ({
      thread: threadModeration.threadAction(
        request.guardian(),
        request.params.id,
        'pin',
        request.body.reason,
        request.body.jurisdiction,
      ),
    }),
  );

  app.put(
    '/moderation/users/:id/review',
    {
      schema: {
        tags,
        summary: 'Place a member under review (their posts wait for approval) or lift it',
        params: IdParams,
        body: MemberReviewBody,
        response: { 200: MemberReviewState, ...write },
      },
    },
    async (request) =>
      members.setMemberReview(request.guardian(), request.params.id, request.body.underReview, request.body.reason),
  );
};
