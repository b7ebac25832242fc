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
  | {
      kind: 'user';
      userId: string;
      seq: number;
      event: UserEvent;
      /** The `event` message as it is sent, when the publisher built it already. */
      frame?: string;
      /** Checked by the publisher for the member when it was published (else by the socket). */
      withheld?: boolean;
    }
  /** What happened in a thread, for the readers who watch it (`thread:<id>`, `threads`). */
  | {
      kind: 'live';
      threadId: string;
      event: LiveEvent;
      /** The event as the post's author and the moderators in scope see it, when it differs. */
      privileged?: LiveEvent;
    };

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

/**
 * One process, one map. Delivery is asynchronous and in slices: `publish` only queues, so the
 * write that published answers at once, and a message for 5,000 sockets is handed out 500 at a
 * time with the event loop free in between (other requests are served meanwhile).
 *
 * - Two queues: a member's own events (`user:` topics, a few sockets each) go first, so a
 *   notification never waits behind a fan-out to thousands.
 * - Within a queue, messages are delivered strictly in publish order, so each socket sees them in
 *   that order.
 * - A thread's activity for the thread list that is still waiting is replaced by newer activity
 *   of the same thread (the counts only grow), so a busy thread cannot pile up the queue.
 */
export class InProcessHub implements RealtimeHub {
  private readonly listeners = new Map<string, Set<HubListener>>();
  private readonly personal: Job[] = [];
  private readonly bulk: Job[] = [];
  private draining = false;

  constructor(private readonly sliceSize = 500) {}

  publish(topic: string, message: HubMessage): void {
    const set = this.listeners.get(topic);
    if (!set || set.size === 0) return;
    const queue = topic.startsWith('user:') ? this.personal : this.bulk;
    const key = activityKey(topic, message);
    if (key) {
      const waiting = queue.find((job) => job.key === key && job.next === 0);
      if (waiting) {
        waiting.message = message;
        waiting.targets = [...set];
        return;
      }
    }
    queue.push({ message, targets: [...set], next: 0, key });
    if (!this.draining) {
      this.draining = true;
      setImmediate(this.drain);
    }
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

  /** Messages waiting, for tests and the bench. */
  get backlog(): number {
    return this.personal.length + this.bulk.length;
  }

  private readonly drain = (): void => {
    let budget = this.sliceSize;
    for (const queue of [this.personal, this.bulk]) {
      while (budget > 0 && queue.length > 0) {
        const job = queue[0]!;
        const end = Math.min(job.targets.length, job.next + budget);
        for (let i = job.next; i < end; i++) {
          // A listener that throws must not stop the others (nor the queue).
          try {
            job.targets[i]!(job.message);
          } catch (error) {
            this.onError(error);
          }
        }
        budget -= end - job.next;
        job.next = end;
        if (job.next >= job.targets.length) queue.shift();
      }
    }
    if (this.backlog > 0) setImmediate(this.drain);
    else this.draining = false;
  };

  /** Where a failing listener's error goes (the plugin points it at the log). */
  onError: (error: unknown) => void = () => {};
}

interface Job {
  message: HubMessage;
  targets: HubListener[];
  /** The next target to deliver to; 0 while the job has not started. */
  next: number;
  /** Set for thread-list activity: a newer message with the same key replaces a waiting one. */
  key: string | null;
}

function activityKey(topic: string, message: HubMessage): string | null {
  return topic === topics.threadList && message.kind === 'live' && message.event.type === 'thread.activity'
    ? `activity:${message.threadId}`
    : null;
}
