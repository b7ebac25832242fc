import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { users, type UserRow } from '@lexforum/db';
import {
  IdParams,
  MemberActivityPage,
  MemberActivityQuery,
  MemberEnvelope,
  MemberPage,
  MemberQuery,
  MentionCandidates,
  MentionQuery,
  type MemberCard,
} from '@lexforum/shared';
import { and, asc, count, desc, eq, isNotNull, ne, or, sql } from 'drizzle-orm';
import { notFound } from '../../lib/errors.js';
import { containsText } from '../../lib/sql.js';
import { errorResponses } from '../../lib/schemas.js';
import { snapshot } from '../../lib/snapshot.js';
import { canMessageEach } from '../conversations/messaging-settings.service.js';
import type { Guardian } from '../guardian/guardian.js';
import { SearchService } from '../search/search.service.js';
import { memberActivity } from './member-activity.js';

const PAGE_SIZE = 24;
const MENTION_LIMIT = 8;

/**
 * The member directory: verified, active members, so that a prosecutor can find peers in another
 * country. Vetted members only; a member's email never leaves through here.
 */
export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['members'];
  // Exactly the accounts that have a badge (see UserViews.badges), so the count matches the rows.
  const verified = and(
    ne(users.role, 'applicant'),
    eq(users.status, 'active'),
    isNotNull(users.verifiedAt),
    isNotNull(users.profession),
    isNotNull(users.jurisdictionCode),
  );

  // With the viewer's Guardian, each card says whether they may start a conversation with them.
  const cards = (rows: UserRow[], guardian?: Guardian): MemberCard[] => {
    const badges = app.userViews.badges(rows);
    const canMessage = guardian ? canMessageEach(app.db, guardian, rows) : undefined;
    return rows.flatMap((u) => {
      const badge = badges.get(u.id);
      if (!badge) return [];
      return [
        {
          id: u.id,
          displayName: u.displayName,
          username: u.username ?? '',
          role: u.role,
          badge,
          languages: u.languages,
          otherJurisdictions: u.otherJurisdictions.map((code) => ({
            code,
            name: app.reference.jurisdictionName(code) ?? code,
          })),
          memberSince: (u.verifiedAt ?? u.createdAt).toISOString(),
          ...(canMessage ? { canMessage: canMessage.get(u.id) ?? false } : {}),
        },
      ];
    });
  };

  app.get(
    '/members',
    {
      schema: {
        tags,
        summary: 'Verified members by jurisdiction (served or of expertise), profession and language',
        querystring: MemberQuery,
        response: { 200: MemberPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      request.guardian().ensureForumAccess();
      const { jurisdiction, profession, language } = request.query;
      const where = and(
        verified,
        jurisdiction
          ? or(
              eq(users.jurisdictionCode, jurisdiction),
              sql`exists (select 1 from json_each(${users.otherJurisdictions}) where value = ${jurisdiction})`,
            )
          : undefined,
        profession ? eq(users.profession, profession) : undefined,
        language ? sql`exists (select 1 from json_each(${users.languages}) where value = ${language})` : undefined,
        containsText(request.query.q, [users.displayName, users.institution, users.position]),
      );
      const page = request.query.page ?? 1;
      const rows = app.db
        .select()
        .from(users)
        .where(where)
        .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .all();
      const total = app.db.select({ n: count() }).from(users).where(where).get()?.n ?? 0;
      return { members: cards(rows, request.guardian()), total, page, pageSize: PAGE_SIZE };
    },
  );

  app.get(
    '/members/mentionable',
    {
      schema: {
        tags,
        summary: "The composer's member picker: members whose username or name starts with `q`",
        querystring: MentionQuery,
        response: { 200: MentionCandidates, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      request.guardian().ensureForumAccess();
      const q = request.query.q.trim().replace(/^@/, '').toLowerCase();
      const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const threadId = request.query.threadId ?? '';
      // Qualified by hand: drizzle writes a lone table's columns unqualified, and inside this
      // subquery a bare "id" would be the post's.
      // Only visible posts of a visible thread say who takes part (moderation hides the rest).
      const inThread = sql<number>`exists (select 1 from posts p join threads t on t.id = p.thread_id
        where p.thread_id = ${threadId} and p.author_id = "users"."id" and p.state = 'visible' and t.state = 'visible')`;
      const rows = app.db
        .select({ user: users, inThread })
        .from(users)
        .where(
          and(
            verified,
            isNotNull(users.username),
            ne(users.id, request.guardian().user.id),
            q === ''
              ? undefined
              : or(
                  sql`${users.username} like ${prefix} escape '\\'`,
                  sql`lower(${users.displayName}) like ${prefix} escape '\\'`,
                  sql`lower(${users.displayName}) like ${'% ' + prefix} escape '\\'`,
                ),
          ),
        )
        .orderBy(desc(inThread), asc(users.username))
        .limit(MENTION_LIMIT)
        .all();
      const canMessage = canMessageEach(
        app.db,
        request.guardian(),
        rows.map((r) => r.user),
      );
      return {
        members: rows.map(({ user, inThread }) => ({
          id: user.id,
          username: user.username!,
          displayName: user.displayName,
          detail: [user.position, user.institution].filter(Boolean).join(', ') || null,
          inThread: inThread === 1,
          canMessage: canMessage.get(user.id) ?? false,
        })),
      };
    },
  );

  app.get(
    '/members/:id',
    {
      schema: {
        tags,
        summary: "A verified member's profile",
        params: IdParams,
        response: { 200: MemberEnvelope, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      request.guardian().ensureForumAccess();
      const row = app.db
        .select()
        .from(users)
        .where(and(verified, eq(users.id, request.params.id)))
        .get();
      const member = row ? cards([row], request.guardian())[0] : undefined;
      if (!member) throw notFound('That member');
      return { member };
    },
  );

  app.get(
    '/members/:id/activity',
    {
      schema: {
        tags,
        summary: "A verified member's threads or replies, newest first, as search would show them to you",
        params: IdParams,
        querystring: MemberActivityQuery,
        response: { 200: MemberActivityPage, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const guardian = request.guardian();
      guardian.ensureForumAccess();
      return snapshot(app.db, () => {
        const known = app.db
          .select({ id: users.id })
          .from(users)
          .where(and(verified, eq(users.id, request.params.id)))
          .get();
        if (!known) throw notFound('That member');
        return memberActivity(app.db, SearchService.scopeOf(guardian), request.params.id, request.query);
      });
    },
  );
};
