import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import {
  CreateReplyBody,
  CreateThreadBody,
  DraftList,
  DraftSaveQuery,
  EditPostBody,
  FOLLOW_TARGETS,
  FollowList,
  FollowState,
  IdParams,
  Post,
  PostEnvelope,
  PostHistory,
  PostSource,
  ReadBody,
  ReadState,
  ReplyDraft,
  ReplyDraftEnvelope,
  SubmissionEnvelope,
  TagCounts,
  ThreadDetail,
  ThreadDraft,
  ThreadDraftEnvelope,
  ThreadPage,
  ThreadParams,
  ThreadPostsQuery,
  ThreadQuery,
  ThreadWithPosts,
  UpdateThreadBody,
} from '@lexforum/shared';
import Type from 'typebox';
import { errorResponses } from '../../lib/schemas.js';
import { snapshot } from '../../lib/snapshot.js';
import { ThreadPageCache } from './thread-page-cache.js';
import { ThreadService } from './threads.service.js';

const FollowParams = Type.Object(
  { target: Type.Enum(FOLLOW_TARGETS), key: Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);

/** Five sections of 20,000 characters, up to 4 bytes each in UTF-8, and the rest of the body. */
const LONG_BODY_LIMIT = 1024 * 1024;

export const threadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const pageCache = new ThreadPageCache(app.config.THREAD_CACHE_ENTRIES, app.config.THREAD_CACHE_MB * 1024 * 1024);
  const service = new ThreadService(
    app.db,
    app.clock,
    app.reference,
    app.userViews,
    app.realtime,
    app.cookPool,
    pageCache,
    app.attachments,
  );
  const tags = ['threads'];
  const read = errorResponses(400, 401, 403, 404);
  const write = errorResponses(400, 401, 403, 404, 409);
  const budgeted = errorResponses(429);

  app.get(
    '/threads',
    {
      schema: {
        tags,
        summary: 'Threads, filtered (jurisdictions, topics and instruments: any of) and sorted, by cursor',
        querystring: ThreadQuery,
        response: { 200: ThreadPage, ...read },
      },
    },
    async (request) => snapshot(app.db, () => service.reads.listThreads(request.guardian(), request.query)),
  );

  app.post(
    '/threads',
    {
      config: { budget: 'posts' },
      bodyLimit: LONG_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Start a thread (a legal analysis sends its sections instead of a body)',
        body: CreateThreadBody,
        response: { 201: ThreadWithPosts, 202: SubmissionEnvelope, ...write, ...budgeted },
      },
    },
    async (request, reply) => {
      const result = await service.writes.createThread(request.guardian(), request.body);
      // A new member's first posts wait for a moderator: 202, and nothing exists yet.
      return result.pending ? reply.code(202).send({ pending: result.pending }) : reply.code(201).send(result.thread);
    },
  );

  app.get(
    '/threads/tag-counts',
    {
      schema: {
        tags,
        summary: 'Threads per jurisdiction, topic and instrument',
        response: { 200: TagCounts, ...read },
      },
    },
    async (request) => service.reads.tagCounts(request.guardian()),
  );

  app.get(
    '/threads/:id',
    {
      schema: {
        tags,
        summary: 'A thread and its posts in number order (the client builds the tree from parentId)',
        params: ThreadParams,
        querystring: ThreadPostsQuery,
        response: { 200: ThreadWithPosts, ...read },
      },
    },
    async (request, reply) => {
      // The cached page arrives as JSON made by this schema's own serializers (compiled once per
      // route), and is sent as is.
      const serializers = {
        post: reply.compileSerializationSchema(Post as unknown as Record<string, unknown>),
        thread: reply.compileSerializationSchema(ThreadDetail as unknown as Record<string, unknown>),
      };
      const page = snapshot(app.db, () =>
        service.reads.threadPage(request.guardian(), request.params.id, request.query.after ?? 0, serializers),
      );
      if (!Buffer.isBuffer(page)) return page;
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(page);
    },
  );

  app.patch(
    '/threads/:id',
    {
      config: { budget: 'edits' },
      schema: {
        tags,
        summary: "Change a thread's title, tags or the analysis's date (its author; 202 when held for review)",
        params: ThreadParams,
        body: UpdateThreadBody,
        response: { 200: Type.Object({ thread: ThreadDetail }), 202: SubmissionEnvelope, ...write, ...budgeted },
      },
    },
    async (request, reply) => {
      const result = service.edits.updateThread(request.guardian(), request.params.id, request.body);
      // A member whose posts wait for review: the change waits too (202), the thread is unchanged.
      return result.pending ? reply.code(202).send({ pending: result.pending }) : { thread: result.thread };
    },
  );

  app.post(
    '/threads/:id/posts',
    {
      config: { budget: 'posts' },
      schema: {
        tags,
        summary: 'Reply to the thread or to one of its posts',
        params: ThreadParams,
        body: CreateReplyBody,
        response: { 201: PostEnvelope, 202: SubmissionEnvelope, ...write, ...budgeted },
      },
    },
    async (request, reply) => {
      const result = await service.writes.reply(request.guardian(), request.params.id, request.body);
      return result.pending ? reply.code(202).send({ pending: result.pending }) : reply.code(201).send(result);
    },
  );

  app.put(
    '/threads/:id/read',
    {
      schema: {
        tags,
        summary: 'Record the last post you have read (never moves back)',
        params: ThreadParams,
        body: ReadBody,
        response: { 200: ReadState, ...read },
      },
    },
    async (request) => service.follows.markRead(request.guardian(), request.params.id, request.body.lastReadNumber),
  );

  app.get(
    '/posts/:id',
    { schema: { tags, summary: 'One post', params: IdParams, response: { 200: PostEnvelope, ...read } } },
    async (request) => ({ post: snapshot(app.db, () => service.reads.getPost(request.guardian(), request.params.id)) }),
  );

  app.get(
    '/posts/:id/source',
    {
      schema: {
        tags,
        summary: "A post's markdown, for the editor",
        params: IdParams,
        response: { 200: PostSource, ...read },
      },
    },
    async (request) => service.reads.getSource(request.guardian(), request.params.id),
  );

  app.patch(
    '/posts/:id',
    {
      config: { budget: 'edits' },
      bodyLimit: LONG_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Edit your post; the previous version is kept as a revision (202 when held for review)',
        params: IdParams,
        body: EditPostBody,
        response: { 200: PostEnvelope, 202: SubmissionEnvelope, ...write, ...budgeted },
      },
    },
    async (request, reply) => {
      const result = await service.edits.editPost(request.guardian(), request.params.id, request.body);
      // A member whose posts wait for review: the edit waits too (202), the post is unchanged.
      return result.pending ? reply.code(202).send({ pending: result.pending }) : { post: result.post };
    },
  );

  app.get(
    '/posts/:id/revisions',
    {
      schema: {
        tags,
        summary: 'Every version of a post, the original first',
        params: IdParams,
        response: { 200: PostHistory, ...read },
      },
    },
    async (request) => service.reads.history(request.guardian(), request.params.id),
  );

  // ---- Following ----
  const followTags = ['following'];
  app.get(
    '/follows',
    { schema: { tags: followTags, summary: 'What you follow', response: { 200: FollowList, ...read } } },
    async (request) => service.follows.listFollows(request.guardian()),
  );
  app.put(
    '/follows/:target/:key',
    {
      schema: {
        tags: followTags,
        summary: 'Follow a thread, jurisdiction or topic',
        params: FollowParams,
        response: { 200: FollowState, ...read },
      },
    },
    async (request) => service.follows.setFollow(request.guardian(), request.params.target, request.params.key, true),
  );
  app.delete(
    '/follows/:target/:key',
    {
      schema: {
        tags: followTags,
        summary: 'Stop following',
        params: FollowParams,
        response: { 200: FollowState, ...read },
      },
    },
    async (request) => service.follows.setFollow(request.guardian(), request.params.target, request.params.key, false),
  );

  // ---- Drafts ----
  const draftTags = ['drafts'];
  app.get(
    '/drafts',
    { schema: { tags: draftTags, summary: 'Your drafts', response: { 200: DraftList, ...read } } },
    async (request) => service.drafts.listDrafts(request.guardian()),
  );
  app.get(
    '/drafts/thread',
    {
      schema: {
        tags: draftTags,
        summary: 'Your draft of a new thread',
        response: { 200: ThreadDraftEnvelope, ...read },
      },
    },
    async (request) => service.drafts.getThreadDraft(request.guardian()),
  );
  app.put(
    '/drafts/thread',
    {
      config: { budget: 'drafts' },
      bodyLimit: LONG_BODY_LIMIT,
      schema: {
        tags: draftTags,
        summary: 'Save your draft of a new thread',
        querystring: DraftSaveQuery,
        body: ThreadDraft,
        response: { 200: ThreadDraftEnvelope, ...read, ...budgeted },
      },
    },
    async (request) => service.drafts.saveThreadDraft(request.guardian(), request.body, request.query.token),
  );
  app.delete(
    '/drafts/thread',
    {
      schema: {
        tags: draftTags,
        summary: 'Discard your draft of a new thread',
        response: { 204: Type.Null(), ...read },
      },
    },
    async (request, reply) => {
      service.drafts.deleteDraft(request.guardian(), null);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/drafts/reply/:id',
    {
      schema: {
        tags: draftTags,
        summary: 'Your draft reply in a thread',
        params: ThreadParams,
        response: { 200: ReplyDraftEnvelope, ...read },
      },
    },
    async (request) => service.drafts.getReplyDraft(request.guardian(), request.params.id),
  );
  app.put(
    '/drafts/reply/:id',
    {
      config: { budget: 'drafts' },
      schema: {
        tags: draftTags,
        summary: 'Save your draft reply in a thread',
        params: ThreadParams,
        querystring: DraftSaveQuery,
        body: ReplyDraft,
        response: { 200: ReplyDraftEnvelope, ...read, ...budgeted },
      },
    },
    async (request) =>
      service.drafts.saveReplyDraft(request.guardian(), request.params.id, request.body, request.query.token),
  );
  app.delete(
    '/drafts/reply/:id',
    {
      schema: {
        tags: draftTags,
        summary: 'Discard your draft reply in a thread',
        params: ThreadParams,
        response: { 204: Type.Null(), ...read },
      },
    },
    async (request, reply) => {
      service.drafts.deleteDraft(request.guardian(), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
