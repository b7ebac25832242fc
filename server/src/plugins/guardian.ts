/**
 * Authorization: `request.guardian()` returns the Guardian for the signed-in user (401 if nobody
 * is signed in), loading the facts it needs once per request and only when a route asks.
 */
import { moderatorJurisdictions, users, type Db } from '@lexforum/db';
import { eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Guardian } from '../modules/guardian/guardian.js';
import { UserViews } from '../modules/users/users.views.js';
import { applicationStatusOf } from '../modules/vetting/vetting.repository.js';
import { requireAuth } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    guardian(): Guardian;
  }
  interface FastifyInstance {
    /** Turns user rows into API output (own view, badges, staff view). */
    userViews: UserViews;
  }
}

const cache = new WeakMap<FastifyRequest, Guardian>();

/** Jurisdictions some active moderator covers (content of the others is every moderator's). */
export function staffedJurisdictions(db: Db): ReadonlySet<string> {
  const rows = db.all<{ code: string }>(
    sql`select distinct mj.jurisdiction_code as code from ${moderatorJurisdictions} mj
        join ${users} u on u.id = mj.user_id
        where u.role = 'moderator' and u.status = 'active' and u.second_factor = 1`,
  );
  return new Set(rows.map((r) => r.code));
}

export default fp(
  async (app) => {
    app.decorate('userViews', new UserViews(app.db, app.reference, app.clock));
    app.decorateRequest('guardian', function (this: FastifyRequest): Guardian {
      const cached = cache.get(this);
      if (cached) return cached;
      const { user } = requireAuth(this);
      const applicationStatus = user.role === 'applicant' ? applicationStatusOf(app.db, user.id) : null;
      const covered =
        user.role === 'moderator'
          ? app.db
              .select({ code: moderatorJurisdictions.jurisdictionCode })
              .from(moderatorJurisdictions)
              .where(eq(moderatorJurisdictions.userId, user.id))
              .all()
              .map((r) => r.code)
          : [];
      const guardian = new Guardian({
        user,
        applicationStatus,
        coveredJurisdictions: new Set(covered),
        staffedJurisdictions: () => staffedJurisdictions(app.db),
      });
      cache.set(this, guardian);
      return guardian;
    });
  },
  { name: 'guardian', fastify: '5.x', dependencies: ['auth', 'db'] },
);
