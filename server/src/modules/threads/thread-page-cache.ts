/**
 * The thread pages kept ready to serve: for each page (a thread and the post number it starts
 * after), what every plain member sees of it, with its posts already serialized as JSON. An entry
 * serves while its stamp holds: the thread's version (bumped by triggers on every write to the
 * thread or its posts), the render generation (bumped by triggers on every write that changes how
 * other pages show: names, roles, badges, moderation states that quotes depend on, settings), the
 * reference lists the tag names come from, and the time until a badge shown falls due for
 * reverification. Bounded in entries and bytes; the least recently read go first.
 */
import type { SharedDetail } from './thread-views.js';

export interface PageStamp {
  version: number;
  generation: number;
  /** The reference lists (jurisdictions, topics, instruments) the names were read from. */
  reference: readonly unknown[];
}

export interface SharedPage extends PageStamp {
  /** The page may no longer be served from this time (ms): a badge falls due for reverification. */
  expiresAt: number;
  thread: SharedDetail;
  /** Each post as a plain member other than its author, who has not reported it, reads it. */
  posts: readonly { id: string; authorId: string; state: string; json: string }[];
  /** The posts' JSON, joined and encoded: what most readers get as is. */
  joined: Buffer;
  hasMore: boolean;
  /** Members who see more of this page than a plain member: they are served without the cache. */
  privileged: ReadonlySet<string>;
  bytes: number;
}

export class ThreadPageCache {
  private readonly entries = new Map<string, SharedPage>();
  private bytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  /** The entry if its stamp still holds at `now`; it becomes the most recently read. */
  get(key: string, stamp: PageStamp, now: number): SharedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (
      entry.version !== stamp.version ||
      entry.generation !== stamp.generation ||
      now >= entry.expiresAt ||
      entry.reference.length !== stamp.reference.length ||
      entry.reference.some((list, i) => list !== stamp.reference[i])
    ) {
      this.bytes -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: SharedPage): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes;
    }
    if (entry.bytes > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [oldest, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= e.bytes;
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}
