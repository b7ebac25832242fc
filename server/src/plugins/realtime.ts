/**
 * Real-time: the hub, the publisher services hand their outboxes to, and the registry of open
 * sockets with the two loops that keep them honest.
 *
 * - `app.realtime.publish(outbox)` sends, after a commit, each stored user event to `user:<id>`
 *   and each live event to its thread's topic; the sockets (modules/realtime) take it from there.
 * - The session watch runs every REALTIME_SESSION_CHECK_MS: one query checks the sessions of all
 *   open sockets, so a sign-out, a revoked or expired session, a suspension or a role change closes
 *   the sockets concerned within that time, whatever code path caused it; a moderator whose
 *   jurisdictions changed keeps the socket but gets a new Guardian, so what it is sent (privileged
 *   variants of posts, hidden threads) follows the new scope from the next message on.
 * - The heartbeat pings every socket every REALTIME_PING_MS and closes those that did not answer
 *   the previous ping.
 * - Old user events are pruned hourly (and at start) to the replay window.
 */
import type { FastifyBaseLogger } from 'fastify';
import fp from 'fastify-plugin';
import { CLOSE_CODES } from '@lexforum/shared';
import { accessGeneration } from '@lexforum/db';
import { sql } from 'drizzle-orm';
import { prepared } from '../lib/prepared.js';
import { sessionExpiresAt } from '../modules/auth/session.js';
import { Guardian } from '../modules/guardian/guardian.js';
import type { Connection } from '../modules/realtime/connection.js';
import { InProcessHub, topics, type RealtimeHub } from '../modules/realtime/hub.js';
import type { Outbox, Publisher } from '../modules/realtime/outbox.js';
import { pruneUserEvents, type ReplayWindow } from '../modules/realtime/user-events.repository.js';
import { staffedJurisdictions } from './guardian.js';

export class Realtime implements Publisher {
  /** Open sockets by member. */
  readonly connections = new Map<string, Set<Connection>>();

  constructor(
    readonly hub: RealtimeHub,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Called right after the commit: live events are built now, from the rows as committed. */
  publish(outbox: Outbox): void {
    for (const e of outbox.userEvents) {
      this.hub.publish(topics.user(e.userId), {
        kind: 'user',
        userId: e.userId,
        seq: e.seq,
        event: e.event,
        frame: e.frame,
        withheld: e.withheld,
      });
    }
    if (outbox.fanout) this.onFanout();
    for (const build of outbox.liveBuilders) {
      // The write has committed: a failure to build a push must not turn it into an error.
      try {
        for (const { topic, message } of build()) this.hub.publish(topic, message);
      } catch (error) {
        this.log.error({ err: error }, 'could not build a live event');
      }
    }
  }

  /** Wakes the fan-out worker (set by the fanout plugin). */
  onFanout: () => void = () => {};

  /** Sockets opened since start: the session watch checks again when this moves. */
  opened = 0;

  add(connection: Connection): void {
    this.opened += 1;
    let set = this.connections.get(connection.userId);
    if (!set) this.connections.set(connection.userId, (set = new Set()));
    set.add(connection);
  }

  remove(connection: Connection): void {
    const set = this.connections.get(connection.userId);
    set?.delete(connection);
    if (set?.size === 0) this.connections.delete(connection.userId);
  }

  socketsOf(userId: string): number {
    return this.connections.get(userId)?.size ?? 0;
  }

  *all(): Iterable<Connection> {
    for (const set of this.connections.values()) yield* set;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: Realtime;
  }
}

export default fp(
  async (app) => {
    const hub = new InProcessHub();
    hub.onError = (error) => app.log.error({ err: error }, 'a realtime delivery failed');
    const realtime = new Realtime(hub, app.log);
    app.decorate('realtime', realtime);
    const { config } = app;

    const replayWindow = (): ReplayWindow => ({
      since: new Date(app.clock.now().getTime() - config.REALTIME_REPLAY_DAYS * 86_400_000),
      maxEvents: config.REALTIME_REPLAY_EVENTS,
    });
    app.decorate('replayWindow', replayWindow);

    // The full check below runs only when something may have changed: a session ended or an
    // account changed (access_generation, bumped by triggers), a socket opened, or the earliest
    // session deadline among the open sockets has come. Otherwise a tick is one tiny read.
    let seenGeneration = -1;
    let nextDeadline = Number.POSITIVE_INFINITY;
    let openedSince = 0;
    const readGeneration = () =>
      prepared(app.db, 'realtime.accessGeneration', () =>
        app.db.select({ value: accessGeneration.value }).from(accessGeneration).prepare(),
      ).get()?.value ?? 0;

    const watchSessions = () => {
      const generation = readGeneration();
      const now = app.clock.now().getTime();
      const opened = realtime.opened;
      if (generation === seenGeneration && opened === openedSince && now < nextDeadline) return;
      seenGeneration = generation;
      openedSince = opened;
      nextDeadline = Number.POSITIVE_INFINITY;
      const open = [...realtime.all()];
      if (open.length === 0) return;
      const pairs = [...new Map(open.map((c) => [c.sessionId, [c.sessionId, c.userId]])).values()];
      const rows = app.db.all<{
        id: string;
        createdAt: number | null;
        lastSeenAt: number | null;
        status: string | null;
        role: string | null;
        secondFactor: number | null;
      }>(
        sql`select json_extract(j.value, '$[0]') as id, s.created_at as createdAt,
                   s.last_seen_at as lastSeenAt, u.status, u.role, u.second_factor as secondFactor
            from json_each(${JSON.stringify(pairs)}) j
            left join sessions s on s.id = json_extract(j.value, '$[0]')
            left join users u on u.id = json_extract(j.value, '$[1]')`,
      );
      const state = new Map(rows.map((r) => [r.id, r]));
      for (const connection of open) {
        const row = state.get(connection.sessionId);
        // Suspension also deletes the sessions; it is named as what it is.
        if (row?.status !== 'active') {
          if (row?.status === 'suspended') connection.close(CLOSE_CODES.SUSPENDED, 'Account suspended');
          else connection.close(CLOSE_CODES.SIGNED_OUT, 'Session ended');
          continue;
        }
        const deadline =
          row.createdAt === null || row.lastSeenAt === null
            ? now
            : sessionExpiresAt(
                { createdAt: new Date(row.createdAt), lastSeenAt: new Date(row.lastSeenAt) },
                app.sessionPolicy,
              ).getTime();
        if (deadline <= now) {
          connection.close(CLOSE_CODES.SIGNED_OUT, 'Session ended');
          continue;
        }
        nextDeadline = Math.min(nextDeadline, deadline);
        if (row.role !== connection.guardian.user.role) connection.close(CLOSE_CODES.ACCOUNT_CHANGED, 'Role changed');
        // Staff access turns on (or off) with the second factor: the client reconnects with it.
        else if (Boolean(row.secondFactor) !== connection.guardian.user.secondFactor) {
          connection.close(CLOSE_CODES.ACCOUNT_CHANGED, 'Second factor changed');
        }
      }
      regrantModerators(open.filter((c) => c.socket.readyState === c.socket.OPEN));
    };

    /** Moderators' sockets follow their jurisdictions as they are now (one query for all). */
    const regrantModerators = (open: Connection[]) => {
      const moderators = open.filter((c) => c.guardian.user.role === 'moderator');
      if (moderators.length === 0) return;
      const ids = [...new Set(moderators.map((c) => c.userId))];
      const rows = app.db.all<{ userId: string; code: string }>(
        sql`select user_id as userId, jurisdiction_code as code from moderator_jurisdictions
            where user_id in (select value from json_each(${JSON.stringify(ids)}))`,
      );
      const covered = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
      for (const r of rows) covered.get(r.userId)!.add(r.code);
      for (const connection of moderators) {
        const now = covered.get(connection.userId)!;
        const before = connection.guardian.scope() ?? new Set<string>();
        if (now.size === before.size && [...now].every((code) => before.has(code))) continue;
        connection.regrant(
          new Guardian({
            user: connection.guardian.user,
            applicationStatus: null,
            coveredJurisdictions: now,
            staffedJurisdictions: () => staffedJurisdictions(app.db),
          }),
        );
      }
    };

    const heartbeat = () => {
      for (const connection of realtime.all()) {
        if (!connection.alive) {
          // Say why if anyone is still listening, then stop waiting for a peer that may be gone.
          const { socket } = connection;
          connection.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'No pong');
          setTimeout(() => socket.terminate(), 1000).unref();
          continue;
        }
        connection.alive = false;
        connection.socket.ping();
      }
    };

    const prune = () => pruneUserEvents(app.db, replayWindow());

    // A timer that throws would take the process down with it: log and carry on instead.
    const guarded = (name: string, work: () => void) => () => {
      try {
        work();
      } catch (error) {
        app.log.error({ err: error }, `realtime ${name} failed`);
      }
    };
    const timers = [
      setInterval(guarded('session watch', watchSessions), config.REALTIME_SESSION_CHECK_MS),
      setInterval(guarded('heartbeat', heartbeat), config.REALTIME_PING_MS),
      setInterval(guarded('prune', prune), 60 * 60 * 1000),
    ];
    for (const timer of timers) timer.unref();
    app.addHook('onReady', async () => void prune());
    app.addHook('preClose', async () => {
      for (const timer of timers) clearInterval(timer);
      for (const connection of [...realtime.all()]) connection.close(1001, 'Server shutting down');
    });
  },
  { name: 'realtime', fastify: '5.x', dependencies: ['db', 'auth'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    replayWindow(): ReplayWindow;
  }
}
