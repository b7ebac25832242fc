/**
 * The staff mark: a post's author carries their staff role (moderator, admin), null for everyone
 * else, so the client can draw a badge no display name can imitate.
 */
import type { Post, ThreadWithPosts } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { configure, ok, quickAdmin, quickMember, quickModerator, reply, thread } from '../helpers/moderation.js';

describe('Staff marks API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0 });
  });
  afterAll(async () => t?.close());

  it('gives each post author their staff role, and null to members', async () => {
    const member = await quickMember(t, 'FR', { displayName: 'Arthur Blanc' });
    const moderator = await quickModerator(t, ['FR'], { displayName: 'Fabienne Roux' });
    const admin = await quickAdmin(t, { displayName: 'Ada Okafor' });
    const opened = await thread(t, member, { jurisdictions: ['FR'] });
    await reply(t, moderator, opened.thread.id, 'A word from the moderator.');
    const byAdmin = await reply(t, admin, opened.thread.id, 'A word from the admin.');
    expect(byAdmin.author.role).toBe('admin');

    const { posts } = await ok<ThreadWithPosts>(t, member, 'GET', `/api/threads/${opened.thread.id}`);
    expect(posts.map((p: Post) => [p.author.displayName, p.author.role])).toEqual([
      ['Arthur Blanc', null],
      ['Fabienne Roux', 'moderator'],
      ['Ada Okafor', 'admin'],
    ]);
    const single = await ok<{ post: Post }>(t, member, 'GET', `/api/posts/${byAdmin.id}`);
    expect(single.post.author.role).toBe('admin');
  });
});
