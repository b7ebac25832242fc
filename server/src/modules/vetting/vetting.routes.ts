import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AnswerBody,
  ApplicationDraftBody,
  ApplicationEnvelope,
  ApplicationReview,
  ApproveBody,
  DueMemberList,
  IdParams,
  QueuePage,
  QueueQuery,
  RejectBody,
  RequestInfoBody,
} from '@lexforum/shared';
import Type from 'typebox';
import { errorResponses } from '../../lib/schemas.js';
import { VettingService } from './vetting.service.js';

export const vettingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new VettingService(app.db, app.clock, app.reference, app.userViews, app.realtime);

  // ---- The applicant's own application ----
  const own = ['application'];
  const ownResponse = { 200: ApplicationEnvelope, ...errorResponses(400, 401, 403, 409) };

  app.get(
    '/application',
    {
      schema: {
        tags: own,
        summary: 'Your application and its history (null before you start one)',
        response: { 200: ApplicationEnvelope, ...errorResponses(401) },
      },
    },
    async (request) => ({ application: service.getOwnApplication(request.guardian()) }),
  );

  app.put(
    '/application',
    {
      schema: {
        tags: own,
        summary: 'Save your application as a draft (any subset of fields; null clears one)',
        body: ApplicationDraftBody,
        response: ownResponse,
      },
    },
    async (request) => ({ application: service.saveDraft(request.guardian(), request.body) }),
  );

  app.post(
    '/application/submit',
    { schema: { tags: own, summary: 'Submit your application for vetting', response: ownResponse } },
    async (request) => ({ application: service.submit(request.guardian()) }),
  );

  app.post(
    '/application/answer',
    {
      schema: {
        tags: own,
        summary: "Answer the moderator's question; the application returns to the queue",
        body: AnswerBody,
        response: ownResponse,
      },
    },
    async (request) => ({ application: service.answer(request.guardian(), request.body.answer) }),
  );

  app.post(
    '/application/withdraw',
    { schema: { tags: own, summary: 'Withdraw your application', response: ownResponse } },
    async (request) => ({ application: service.withdraw(request.guardian()) }),
  );

  // ---- Staff: the queue and decisions ----
  const tags = ['vetting'];
  const reviewResponse = { 200: ApplicationReview, ...errorResponses(400, 401, 403, 404, 409) };

  app.get(
    '/vetting/applications',
    {
      schema: {
        tags,
        summary: 'The vetting queue in your jurisdictions, oldest first',
        querystring: QueueQuery,
        response: { 200: QueuePage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => service.queue(request.guardian(), request.query),
  );

  app.get(
    '/vetting/applications/:id',
    {
      schema: {
        tags,
        summary: 'An application with its history and related accounts',
        params: IdParams,
        response: reviewResponse,
      },
    },
    async (request) => service.review(request.guardian(), request.params.id),
  );

  app.post(
    '/vetting/applications/:id/claim',
    {
      schema: {
        tags,
        summary: 'Claim an application so that no one else decides it meanwhile',
        params: IdParams,
        response: reviewResponse,
      },
    },
    async (request) => service.claim(request.guardian(), request.params.id),
  );

  app.delete(
    '/vetting/applications/:id/claim',
    {
      schema: { tags, summary: 'Release your claim', params: IdParams, response: reviewResponse },
    },
    async (request) => service.release(request.guardian(), request.params.id),
  );

  app.post(
    '/vetting/applications/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve (under four eyes, the first of two approvals); the body is `{}` or `{ note }`',
        params: IdParams,
        body: ApproveBody,
        response: reviewResponse,
      },
    },
    async (request) => service.approve(request.guardian(), request.params.id, request.body),
  );

  app.post(
    '/vetting/applications/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject with a reason the applicant sees',
        params: IdParams,
        body: RejectBody,
        response: reviewResponse,
      },
    },
    async (request) => service.reject(request.guardian(), request.params.id, request.body),
  );

  app.post(
    '/vetting/applications/:id/request-info',
    {
      schema: {
        tags,
        summary: 'Ask the applicant for more information',
        params: IdParams,
        body: RequestInfoBody,
        response: reviewResponse,
      },
    },
    async (request) => service.requestInfo(request.guardian(), request.params.id, request.body),
  );

  app.get(
    '/vetting/reverification',
    {
      schema: {
        tags,
        summary: 'Members in your jurisdictions whose verification is due',
        response: { 200: DueMemberList, ...errorResponses(401, 403) },
      },
    },
    async (request) => service.dueForReverification(request.guardian()),
  );

  app.post(
    '/vetting/members/:id/reverify',
    {
      schema: {
        tags,
        summary: "Confirm a member's credentials again",
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      service.reverify(request.guardian(), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
