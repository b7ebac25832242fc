/**
 * The hub: where the server publishes pushes and where each open socket listens. It is a plain
 * publish/subscribe interface over topics (`user:<id>`, `thread:<id>`, `threads`) carrying
 * JSON-serializable messages, so one node uses the in-process implementation below and several
 * nodes would plug in a broker with the same two methods (Redis pub/sub, NATS, or Postgres
 * LISTEN/NOTIFY), each node's gateway subscribing for the sockets it holds. Authorization is not
 * the hub's business: the gateway checks each recipient when it delivers.
 */
import type { LiveEvent, UserEvent } from '@lexforum/shared';

export type HubMessage =
  /** One stored, numbered event of one user (`user:<id>`). */
  | { kind: 'user'; userId: string; seq: number; event: UserEvent }
  /** What happened in a thread, for the readers who watch it (`thread:<id>`, `threads`). */
  | { kind: 'live'; threadId: string; event: LiveEvent };

export type HubListener = (message: HubMessage) => void;

export interface RealtimeHub {
  publish(topic: string, message: HubMessage): void;
  /** Returns the function that unsubscribes. */
  subscribe(topic: string, listener: HubListener): () => void;
}

export const topics = {
  user: (id: string) => `user:${id}`,
  thread: (id: string) => `thread:${id}`,
  threadList: 'threads',
} as const;

/** One process, one map. Delivery is synchronous, in publish order. */
export class InProcessHub implements RealtimeHub {
  private readonly listeners = new Map<string, Set<HubListener>>();

  publish(topic: string, message: HubMessage): void {
    const set = this.listeners.get(topic);
    if (!set) return;
    for (const listener of [...set]) listener(message);
  }

  subscribe(topic: string, listener: HubListener): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(topic) === set) this.listeners.delete(topic);
    };
  }

  /** Listeners per topic, for the bench and tests. */
  get topicCount(): number {
    return this.listeners.size;
  }
}
