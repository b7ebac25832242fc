/**
 * Pushes wait for the commit. A write collects what it will push in an `Outbox` while its
 * transaction runs (stored user events, and thunks that build live events); `transact` publishes
 * them only once the transaction has committed, so nothing is pushed about a write that rolled
 * back, and live events are built from committed rows.
 */
import type { Db, DbOrTx } from '@lexforum/db';
import type { HubMessage } from './hub.js';
import type { StoredUserEvent } from './user-events.repository.js';

export interface LiveMessage {
  topic: string;
  message: HubMessage;
}

export class Outbox {
  readonly userEvents: StoredUserEvent[] = [];
  readonly liveBuilders: (() => LiveMessage[])[] = [];
  /** A fan-out job was stored: the worker is woken after the commit (notifications/fanout.ts). */
  fanout = false;

  addUserEvents(events: readonly StoredUserEvent[]): void {
    this.userEvents.push(...events);
  }

  /** `build` runs after the commit; it reads the committed rows it needs. */
  addLive(build: () => LiveMessage[]): void {
    this.liveBuilders.push(build);
  }
}

export interface Publisher {
  publish(outbox: Outbox): void;
}

/** Runs `work` in one transaction, then publishes what it put in the outbox. */
export function transact<T>(db: Db, publisher: Publisher, work: (tx: DbOrTx, outbox: Outbox) => T): T {
  const outbox = new Outbox();
  const result = db.transaction((tx) => work(tx, outbox));
  publisher.publish(outbox);
  return result;
}
