import type { LiveEvent, UserEvent } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { InProcessHub, topics, type HubMessage } from './hub.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const activity = (threadId: string, postCount: number): HubMessage => ({
  kind: 'live',
  threadId,
  event: {
    type: 'thread.activity',
    threadId,
    postCount,
    replyCount: postCount - 1,
    participantCount: 1,
    lastPostAt: new Date(0).toISOString(),
    lastPoster: { id: 'p', displayName: 'P' },
  } satisfies LiveEvent,
});
const userEvent = (userId: string, seq: number): HubMessage => ({
  kind: 'user',
  userId,
  seq,
  event: { type: 'account.changed' } satisfies UserEvent,
});
const label = (m: HubMessage) =>
  m.kind === 'user' ? `u${m.seq}` : `${m.threadId}:${'postCount' in m.event ? m.event.postCount : ''}`;

describe('InProcessHub', () => {
  it('delivers nothing during publish, then everything in publish order, in slices that yield to the event loop', async () => {
    const hub = new InProcessHub(3);
    const got: string[][] = [[], [], [], [], []];
    got.forEach((list) => hub.subscribe(topics.thread('t'), (m) => list.push(label(m))));
    hub.publish(topics.thread('t'), activity('t', 1));
    hub.publish(topics.thread('t'), activity('t', 2));
    expect(got.flat()).toEqual([]);
    // After one tick only one slice (3 deliveries) has gone out.
    await new Promise((resolve) => setImmediate(resolve));
    expect(got.flat()).toHaveLength(3);
    await settle();
    for (const list of got) expect(list).toEqual(['t:1', 't:2']);
    expect(hub.backlog).toBe(0);
  });

  it("serves a member's own events before a large fan-out that was queued first", async () => {
    const hub = new InProcessHub(2);
    const order: string[] = [];
    for (let i = 0; i < 10; i++) hub.subscribe(topics.thread('t'), () => order.push('live'));
    hub.subscribe(topics.user('u'), (m) => order.push(label(m)));
    hub.publish(topics.thread('t'), activity('t', 1));
    hub.publish(topics.user('u'), userEvent('u', 1));
    await settle();
    expect(order[0]).toBe('u1');
    expect(order.filter((o) => o === 'live')).toHaveLength(10);
  });

  it("replaces a thread's waiting list activity with newer activity, but not another thread's nor one already started", async () => {
    const hub = new InProcessHub(1);
    const a: string[] = [];
    const b: string[] = [];
    hub.subscribe(topics.threadList, (m) => a.push(label(m)));
    hub.subscribe(topics.threadList, (m) => b.push(label(m)));
    hub.publish(topics.threadList, activity('x', 2));
    await new Promise((resolve) => setImmediate(resolve)); // x:2 has started (one of two delivered)
    hub.publish(topics.threadList, activity('x', 3));
    hub.publish(topics.threadList, activity('y', 2));
    hub.publish(topics.threadList, activity('x', 4));
    await settle();
    expect(a).toEqual(['x:2', 'x:4', 'y:2']);
    expect(b).toEqual(['x:2', 'x:4', 'y:2']);
  });

  it('keeps delivering to the others when one listener throws, and reports it', async () => {
    const hub = new InProcessHub();
    const errors: unknown[] = [];
    hub.onError = (error) => errors.push(error);
    const got: string[] = [];
    hub.subscribe(topics.user('u'), () => {
      throw new Error('boom');
    });
    hub.subscribe(topics.user('u'), (m) => got.push(label(m)));
    hub.publish(topics.user('u'), userEvent('u', 7));
    await settle();
    expect(got).toEqual(['u7']);
    expect(errors).toHaveLength(1);
  });

  it('stops delivering to a listener once it unsubscribes, and forgets empty topics', async () => {
    const hub = new InProcessHub();
    const got: string[] = [];
    const off = hub.subscribe(topics.user('u'), (m) => got.push(label(m)));
    hub.publish(topics.user('u'), userEvent('u', 1));
    await settle();
    off();
    hub.publish(topics.user('u'), userEvent('u', 2));
    await settle();
    expect(got).toEqual(['u1']);
  });
});
