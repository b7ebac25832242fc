/**
 * Reports on a moderator's or an admin's post: members' confidential-data reports never hide it
 * automatically; the reports go to the other moderators in scope and the admins, never to the
 * reported staff member (who cannot list, open, claim or decide them: 403).
 */
import type { ReviewItem } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import {
  auditRows,
  configure,
  expectError,
  itemOfPost,
  moderatePost,
  queue,
  quickAdmin,
  quickMember,
  quickModerator,
  reply,
  report,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

describe('Reports on staff posts', () => {
  let t: TestApp;
  let admin: Actor;
  let otherAdmin: Actor;
  let modFR: Actor;
  let otherModFR: Actor;
  let modKE: Actor;
  let member: Actor;

  beforeAll(async () => {
    t = await buildTestApp();
    await configure(t, { premoderatedPosts: 0, confidentialReportsToHide: 2 });
    admin = await quickAdmin(t, { displayName: 'Ada Okafor' });
    otherAdmin = await quickAdmin(t, { displayName: 'Bram de Wit' });
    modFR = await quickModerator(t, ['FR'], { displayName: 'Fabienne Roux' });
    otherModFR = await quickModerator(t, ['FR'], { displayName: 'Odile Marchand' });
    modKE = await quickModerator(t, ['KE'], { displayName: 'Kamau Njoroge' });
    member = await quickMember(t, 'FR', { displayName: 'Arthur Blanc' });
  });
  afterAll(async () => t?.close());

  const stateOf = (postId: string) =>
    (t.handle.sqlite.prepare('select state from posts where id = ?').get(postId) as { state: string }).state;
  const reportTwice = async (postId: string) => {
    for (const name of ['Rita Lenz', 'Sven Aho']) {
      await report(t, await quickMember(t, 'DE', { displayName: name }), postId, 'confidential_data');
    }
  };

  it('keeps a moderator’s post visible and sends its reports to the other moderators in scope and the admins', async () => {
    const th = await thread(t, member, { jurisdictions: ['FR'] });
    const post = await reply(t, modFR, th.thread.id, 'The hearing is on 3 March in room 4.');
    await reportTwice(post.id);

    expect(stateOf(post.id)).toBe('visible');
    expect(auditRows(t, { action: 'post.auto_hide', targetId: post.id })).toHaveLength(0);

    // Not for the reported moderator: not listed, not counted, not found, not claimable.
    expect(await itemOfPost(t, modFR, post.id)).toBeUndefined();
    const own = await queue(t, modFR);
    expect(own.counts.confidential).toBe(0);
    const item = (await itemOfPost(t, otherModFR, post.id)) as ReviewItem;
    expect(item).toMatchObject({ reportCount: 2, reasons: [{ reason: 'confidential_data', count: 2 }] });
    expectError(await send(t, modFR, 'GET', `/api/moderation/queue/${item.id}`), 403, 'FORBIDDEN');
    expectError(await send(t, modFR, 'POST', `/api/moderation/queue/${item.id}/claim`), 403, 'FORBIDDEN');
    expectError(await moderatePost(t, modFR, post.id, 'dismiss'), 403);
    // Nor for a moderator out of scope.
    expect(await itemOfPost(t, modKE, post.id)).toBeUndefined();

    // The other moderator in scope and the admins see it and can decide it.
    expect((await queue(t, otherModFR)).counts.confidential).toBeGreaterThanOrEqual(1);
    expect(await itemOfPost(t, admin, post.id)).toBeDefined();
    const claimed = await send(t, otherModFR, 'POST', `/api/moderation/queue/${item.id}/claim`);
    expect(claimed.statusCode).toBe(200);
    expect((await moderatePost(t, otherModFR, post.id, 'hide')).statusCode).toBe(200);
    expect(stateOf(post.id)).toBe('hidden');
  });

  it('keeps an admin’s post visible; the reports go to the other admins and the moderators in scope', async () => {
    const th = await thread(t, member, { jurisdictions: ['FR'] });
    const post = await reply(t, admin, th.thread.id, 'Witness statements are due by Friday.');
    await reportTwice(post.id);

    expect(stateOf(post.id)).toBe('visible');
    expect(await itemOfPost(t, admin, post.id)).toBeUndefined();
    expect(await itemOfPost(t, otherAdmin, post.id)).toBeDefined();
    expect(await itemOfPost(t, modFR, post.id)).toBeDefined();
  });

  it('still hides a member’s post after two confidential-data reports', async () => {
    const th = await thread(t, member, { jurisdictions: ['FR'] });
    const post = await reply(t, member, th.thread.id, 'The witness lives at 12 rue des Lilas.');
    await reportTwice(post.id);
    expect(stateOf(post.id)).toBe('hidden');
  });
});
