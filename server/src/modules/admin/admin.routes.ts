import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  IdParams,
  JurisdictionsBody,
  RoleBody,
  SettingsEnvelope,
  SettingsPatch,
  StaffReasonBody,
  StaffUserEnvelope,
  StaffUserPage,
  UserQuery,
} from '@lexforum/shared';
import { errorResponses } from '../../lib/schemas.js';
import { requireRecentAuth } from '../auth/reauth.js';
import { AdminService } from './admin.service.js';

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = new AdminService(app.db, app.clock, app.reference, app.userViews, app.realtime, app.mailLinks);
  const tags = ['admin'];
  const userResponse = { 200: StaffUserEnvelope, ...errorResponses(400, 401, 403, 404, 409) };
  /**
   * Every administrator action that changes something asks for a recent confirmation (reauth.ts).
   * Who may act is checked first, so a member is told "forbidden", not asked for a password.
   */
  const recentlyConfirmedAdmin = async (request: FastifyRequest) => {
    request.guardian().ensureAdmin();
    requireRecentAuth(request, app.db, app.clock.now());
  };

  app.get(
    '/admin/users',
    {
      schema: {
        tags,
        summary: 'Accounts, searchable by name, email or institution',
        querystring: UserQuery,
        response: { 200: StaffUserPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => service.listUsers(request.guardian(), request.query),
  );

  app.get(
    '/admin/users/:id',
    { schema: { tags, summary: 'One account', params: IdParams, response: userResponse } },
    async (request) => ({ user: service.getUser(request.guardian(), request.params.id) }),
  );

  app.put(
    '/admin/users/:id/role',
    {
      preHandler: recentlyConfirmedAdmin,
      schema: {
        tags,
        summary: 'Promote or demote a member (not yourself; never the last admin)',
        params: IdParams,
        body: RoleBody,
        response: userResponse,
      },
    },
    async (request) => ({ user: service.changeRole(request.guardian(), request.params.id, request.body) }),
  );

  app.put(
    '/admin/users/:id/jurisdictions',
    {
      preHandler: recentlyConfirmedAdmin,
      schema: {
        tags,
        summary: "Set a moderator's jurisdictions",
        params: IdParams,
        body: JurisdictionsBody,
        response: userResponse,
      },
    },
    async (request) => ({
      user: service.setJurisdictions(request.guardian(), request.params.id, request.body.jurisdictions),
    }),
  );

  app.post(
    '/admin/users/:id/suspend',
    {
      preHandler: recentlyConfirmedAdmin,
      schema: {
        tags,
        summary: 'Suspend an account; ends all its sessions at once',
        params: IdParams,
        body: StaffReasonBody,
        response: userResponse,
      },
    },
    async (request) => ({ user: service.suspend(request.guardian(), request.params.id, request.body.reason) }),
  );

  app.post(
    '/admin/users/:id/reinstate',
    {
      preHandler: recentlyConfirmedAdmin,
      schema: { tags, summary: 'Lift a suspension', params: IdParams, body: StaffReasonBody, response: userResponse },
    },
    async (request) => ({ user: service.reinstate(request.guardian(), request.params.id, request.body.reason) }),
  );

  app.get(
    '/admin/settings',
    {
      schema: {
        tags,
        summary: 'Vetting settings',
        response: { 200: SettingsEnvelope, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ settings: service.getSettings(request.guardian()) }),
  );

  app.patch(
    '/admin/settings',
    {
      preHandler: recentlyConfirmedAdmin,
      schema: {
        tags,
        summary: 'Change vetting settings',
        body: SettingsPatch,
        response: { 200: SettingsEnvelope, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => ({ settings: service.updateSettings(request.guardian(), request.body) }),
  );
};
