/**
 * The push socket for staff without a second factor: it opens (their own notifications reach
 * them, as the account page does), but the forum's channels refuse with SECOND_FACTOR_REQUIRED;
 * setting up a factor closes it with ACCOUNT_CHANGED so the client reconnects with the forum open.
 */
import { CLOSE_CODES } from '@lexforum/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../helpers/app.js';
import { startThread } from '../helpers/threads.js';
import { decodeBase32 } from '../helpers/totp.js';
import { member, type Actor } from '../helpers/vetting.js';
import { type ListeningTestApp, listenTestApp } from '../helpers/ws.js';

describe('Realtime API for staff without a second factor', () => {
  let t: ListeningTestApp;
  let author: Actor;
  beforeAll(async () => {
    t = await listenTestApp();
    author = await member(t, { displayName: 'Alice Fournier' });
  });
  afterAll(async () => t?.close());

  it('refuses the forum channels with SECOND_FACTOR_REQUIRED, then closes with ACCOUNT_CHANGED on enrolment', async () => {
    const thread = await startThread(t, author);
    const user = await t.createUser({ role: 'moderator', secondFactor: false, displayName: 'Mona Moderator' });
    const cookie = await t.loginAs(user);
    const socket = await t.connectAs({ user, cookie });
    for (const message of [
      { type: 'subscribe', channel: 'threads' },
      { type: 'subscribe', channel: 'thread', threadId: thread.thread.id },
    ] as const) {
      socket.send(message);
      const refused = await socket.waitFor((m) => m.type === 'error', 'error');
      socket.take((m) => m.type === 'error');
      expect(refused).toMatchObject({ type: 'error', code: 'SECOND_FACTOR_REQUIRED' });
    }

    const setup = await t.request({ method: 'POST', url: '/api/account/totp/setup', cookie });
    const key = decodeBase32((setup.json() as { secret: string }).secret);
    const confirm = await t.request({
      method: 'POST',
      url: '/api/account/totp/confirm',
      cookie,
      body: { code: totpCode(key, t.clock.now()) },
    });
    expect(confirm.statusCode).toBe(200);
    // Enrolment bumps access_generation, so the session watch looks at the socket again.
    expect(t.handle.sqlite.prepare('select value from access_generation').get()).toEqual({ value: 1 });
    expect((await socket.closesWithin(2000)).code).toBe(CLOSE_CODES.ACCOUNT_CHANGED);

    const again = await t.connectAs({ user, cookie });
    await again.subscribe({ channel: 'thread', threadId: thread.thread.id });
    again.close();
  });
});
