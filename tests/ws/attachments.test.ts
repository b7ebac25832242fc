/**
 * Attachments over the socket: an edit that changes only a post's files (same text, no new
 * version) reaches readers with the thread open, as `post.updated` with the new list, and the
 * cached thread page they reload agrees. A member whose posts wait for review may drop a file
 * that way but not add one.
 */
import type { Post, Upload } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfWith } from '../helpers/files.js';
import { configure, expectError, quickMember, reply, send, thread } from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';
import { listenTestApp, type ListeningTestApp } from '../helpers/ws.js';

describe('Attachments over the socket', () => {
  let t: ListeningTestApp;
  let author: Actor, reader: Actor;

  async function uploaded(who: Actor, name: string, bytes: Buffer): Promise<Upload> {
    const res = await t.request({
      method: 'POST',
      url: `/api/attachments?name=${encodeURIComponent(name)}`,
      body: bytes,
      cookie: who.cookie,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { attachment: Upload }).attachment;
  }

  beforeAll(async () => {
    t = await listenTestApp();
    await configure(t, { premoderatedPosts: 0 });
    author = await quickMember(t, 'FR', { displayName: 'Amélie' });
    reader = await quickMember(t, 'FR', { displayName: 'Rashid' });
  });
  afterAll(async () => t?.close());

  it('pushes an edit of only the files to readers of the thread; the cached page follows', async () => {
    const op = await thread(t, author, { jurisdictions: ['FR'] });
    const kept = await uploaded(author, 'kept.pdf', pdfWith(['Kept judgment']));
    const dropped = await uploaded(author, 'dropped.txt', Buffer.from('Dropped note'));
    const posted = await send(t, author, 'POST', `/api/threads/${op.thread.id}/posts`, {
      body: 'Two files attached.',
      attachmentIds: [kept.id, dropped.id],
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const post = (posted.json() as { post: Post }).post;
    // The reader's first read fills the thread page cache.
    expect((await send(t, reader, 'GET', `/api/threads/${op.thread.id}`)).statusCode).toBe(200);
    const socket = await t.connectAs(reader);
    await socket.subscribe({ channel: 'thread', threadId: op.thread.id });

    const added = await uploaded(author, 'added.txt', Buffer.from('Added note'));
    const edit = await send(t, author, 'PATCH', `/api/posts/${post.id}`, {
      version: post.version,
      body: 'Two files attached.',
      attachmentIds: [added.id, kept.id],
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const updated = await socket.nextLive('post.updated', (e) => e.post.id === post.id);
    expect(updated.post.attachments.map((a) => a.name)).toEqual(['added.txt', 'kept.pdf']);
    expect(updated.post.version).toBe(post.version);

    const page = (await send(t, reader, 'GET', `/api/threads/${op.thread.id}`)).json() as { posts: Post[] };
    expect(page.posts.find((p) => p.id === post.id)!.attachments.map((a) => a.name)).toEqual(['added.txt', 'kept.pdf']);
    socket.close();
  });

  it('lets a member under review drop a file without a new text, not add one', async () => {
    const op = await thread(t, reader, { jurisdictions: ['FR'] });
    const first = await uploaded(author, 'first.txt', Buffer.from('First'));
    const second = await uploaded(author, 'second.txt', Buffer.from('Second'));
    const posted = await send(t, author, 'POST', `/api/threads/${op.thread.id}/posts`, {
      body: 'Files before review.',
      attachmentIds: [first.id, second.id],
    });
    const post = (posted.json() as { post: Post }).post;
    t.handle.sqlite.prepare('update users set under_review = 1 where id = ?').run(author.user.id);
    try {
      const extra = await uploaded(author, 'extra.txt', Buffer.from('Extra'));
      const refused = await send(t, author, 'PATCH', `/api/posts/${post.id}`, {
        version: post.version,
        body: 'Files before review.',
        attachmentIds: [first.id, second.id, extra.id],
      });
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.json().error.details.issues[0].code).toBe('attachments_after_approval');
      const dropped = await send(t, author, 'PATCH', `/api/posts/${post.id}`, {
        version: post.version,
        body: 'Files before review.',
        attachmentIds: [second.id],
      });
      expect(dropped.statusCode, dropped.body).toBe(200);
      expect((dropped.json() as { post: Post }).post.attachments.map((a) => a.name)).toEqual(['second.txt']);
    } finally {
      t.handle.sqlite.prepare('update users set under_review = 0 where id = ?').run(author.user.id);
    }
  });

  it('still pushes nothing when an edit names no files and changes nothing', async () => {
    const op = await thread(t, author, { jurisdictions: ['FR'] });
    const post = await reply(t, author, op.thread.id, 'Unchanged text.');
    const socket = await t.connectAs(reader);
    await socket.subscribe({ channel: 'thread', threadId: op.thread.id });
    const same = await send(t, author, 'PATCH', `/api/posts/${post.id}`, { version: 1, body: 'Unchanged text.' });
    expect(same.statusCode, same.body).toBe(200);
    await socket.expectNothing((m) => m.type === 'live' && m.event.type === 'post.updated');
    socket.close();
  });
});
