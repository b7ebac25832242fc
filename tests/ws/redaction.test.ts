/**
 * Redaction over real sockets: a member mentioned in a post (their bell holds its excerpt) gets
 * `notification.updated` with the scrubbed excerpt at once; a reader on the thread gets the
 * scrubbed post (`post.updated`); a client that reconnects from before the mention is replayed
 * events that carry no trace of the removed text. Real server, real SQLite file, real `ws` clients.
 */
import type { RedactionResult } from '@lexforum/shared';
import { REDACTED_PLACEHOLDER } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickMember, quickModerator } from '../helpers/moderation.js';
import { replyTo, startThread } from '../helpers/threads.js';
import type { Actor } from '../helpers/vetting.js';
import { listenTestApp, usernameOf, type ListeningTestApp } from '../helpers/ws.js';

const ADDRESS = '7 chemin des Saules, 33000 Bordeaux';

describe('Realtime after a redaction', () => {
  let t: ListeningTestApp;
  let author: Actor;
  let witness: Actor;
  let moderator: Actor;

  beforeAll(async () => {
    t = await listenTestApp();
    author = await quickMember(t, 'FR', { displayName: 'Arthur Author' });
    witness = await quickMember(t, 'FR', { displayName: 'Wanda Witness' });
    moderator = await quickModerator(t, ['FR'], { displayName: 'Fabienne Moderator' });
  });
  afterAll(async () => t?.close());

  it('pushes the scrubbed excerpt and post live, and replays nothing of the text to a reconnecting client', async () => {
    const threadId = (await startThread(t, author, { jurisdictions: ['FR'] })).thread.id;
    // Where the witness's client was before the mention.
    const before = await t.connectAs(witness);
    const lastSeq = before.greeting!.seq;
    before.close();
    await before.closed;

    const live = await t.connectAs(witness);
    await live.subscribe({ channel: 'thread', threadId });
    const post = await replyTo(
      t,
      author,
      threadId,
      undefined,
      `@${usernameOf(t, witness)} was seen leaving ${ADDRESS} that night.`,
    );
    const created = await live.nextEvent('notification.created', (e) => e.notification.kind === 'mention');
    expect(created.event.notification.body).toContain('chemin des Saules');

    const res = await t.request({
      method: 'POST',
      url: `/api/posts/${post.id}/redactions`,
      cookie: moderator.cookie,
      body: { kind: 'span', text: ADDRESS, reason: 'Home address of a witness.' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((res.json() as RedactionResult).counts.events).toBeGreaterThanOrEqual(1);

    // Live: the bell's copy is replaced, the open thread gets the scrubbed post.
    const updated = await live.nextEvent(
      'notification.updated',
      (e) => e.notification.id === created.event.notification.id,
    );
    expect(updated.event.notification.body).toContain(REDACTED_PLACEHOLDER);
    expect(updated.event.notification.body).not.toContain('Saules');
    const changed = await live.nextLive('post.updated', (e) => e.post.id === post.id);
    expect(changed.post.cooked).toContain(REDACTED_PLACEHOLDER);
    expect(changed.post.cooked).not.toContain('Saules');

    // Replay from before the mention: the notification.created, and everything else, is scrubbed.
    const again = await t.connectAs(witness, lastSeq);
    expect(again.greeting?.type).toBe('ready');
    const replayed = await again.replayed();
    expect(replayed.map((m) => m.event.type)).toContain('notification.created');
    expect(replayed.map((m) => m.event.type)).toContain('notification.updated');
    expect(JSON.stringify(replayed)).not.toContain('Saules');
    expect(JSON.stringify(replayed)).toContain(REDACTED_PLACEHOLDER);
    again.close();
    live.close();
  });
});
