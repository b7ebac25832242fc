/**
 * Attachments (issue 19): members upload files before the post exists, attach them to a post, and
 * readers of the post download them. The type is sniffed from the bytes; downloads are decided at
 * read time from the post's visibility; limits of size, count and quota hold; the text of a PDF
 * makes its post findable by search, with the post's own visibility.
 */
import type { Post, SearchPage, Upload } from '@lexforum/shared';
import type { LightMyRequestResponse } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, DAY, type TestApp } from '../helpers/app.js';
import { readBlns, requireCorpora } from '../helpers/corpora.js';
import { docx, jpeg, odt, pdfWith, png, zip } from '../helpers/files.js';
import {
  expectError,
  auditRows,
  itemOfPost,
  lastAuditId,
  moderatePost,
  notifiedDuring,
  quickActor,
  quickMember,
  quickModerator,
  report,
  send,
  thread,
} from '../helpers/moderation.js';
import type { Actor } from '../helpers/vetting.js';

function uploadAs(t: TestApp, who: Actor | null, name: string, bytes: Buffer, type = 'application/octet-stream') {
  return t.request({
    method: 'POST',
    url: `/api/attachments?name=${encodeURIComponent(name)}`,
    body: bytes,
    ...(who ? { cookie: who.cookie } : {}),
    headers: { 'content-type': type },
  });
}

async function uploaded(t: TestApp, who: Actor, name: string, bytes: Buffer): Promise<Upload> {
  const res = await uploadAs(t, who, name, bytes);
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { attachment: Upload }).attachment;
}

const download = (t: TestApp, who: Actor | null, id: string) => send(t, who, 'GET', `/api/attachments/${id}`);

async function replyWith(
  t: TestApp,
  who: Actor,
  threadId: string,
  attachmentIds: string[],
  body = 'See the judgment attached.',
) {
  return send(t, who, 'POST', `/api/threads/${threadId}/posts`, { body, attachmentIds });
}

/** The exact name a Content-Disposition's `filename*` carries. */
function filenameOf(res: LightMyRequestResponse): string {
  const header = String(res.headers['content-disposition']);
  const match = /filename\*=UTF-8''([^;]*)$/.exec(header);
  expect(match, header).not.toBeNull();
  return decodeURIComponent(match![1]!);
}

describe('Attachments API', () => {
  let t: TestApp;
  let alice: Actor;
  let bruno: Actor;
  let modFR: Actor;
  let modKE: Actor;
  let applicant: Actor;
  let threadId: string;

  beforeAll(async () => {
    t = await buildTestApp({
      env: {
        ATTACHMENT_MAX_BYTES: String(64 * 1024),
        ATTACHMENTS_PER_POST: '3',
        ATTACHMENT_QUOTA_BYTES: String(200 * 1024),
      },
    });
    alice = await quickMember(t, 'FR', { displayName: 'Alice Martin' });
    bruno = await quickMember(t, 'KE', { displayName: 'Bruno Otieno' });
    modFR = await quickModerator(t, ['FR']);
    modKE = await quickModerator(t, ['KE']);
    applicant = await quickActor(t, { role: 'applicant', displayName: 'Ann Applicant' });
    threadId = (await thread(t, alice, { title: 'Counterfeit medicines at the border', jurisdictions: ['FR'] })).thread
      .id;
  });
  afterAll(async () => t?.close());

  describe('POST /api/attachments (type decided from the content)', () => {
    it.each([
      ['judgment.pdf', 'application/pdf', () => pdfWith(['Judgment of the court'])],
      ['statute.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx],
      ['statute.odt', 'application/vnd.oasis.opendocument.text', odt],
      ['notes.txt', 'text/plain', () => Buffer.from('Article 5 UNTOC, as amended.\nSecond line.')],
      ['scan.png', 'image/png', png],
      ['photo.jpg', 'image/jpeg', jpeg],
      // Renamed files: stored as what they are, whatever the name or the declared type say.
      ['looks-like-a.pdf', 'image/png', png],
      ['really-a-pdf.txt', 'application/pdf', () => pdfWith(['x'])],
      ['no-extension', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx],
    ])('stores %s as %s', async (name, expected, make) => {
      const res = await uploadAs(t, alice, name, make(), 'image/gif');
      expect(res.statusCode, res.body).toBe(201);
      const attachment = (res.json() as { attachment: Upload }).attachment;
      expect(attachment).toMatchObject({ name, type: expected, postId: null });
    });

    const refused: [string, () => Buffer][] = [
      ['page.pdf (HTML)', () => Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>')],
      ['script.pdf (JavaScript)', () => Buffer.from('fetch("/api/account").then((r) => r.text()).then(alert);')],
      ['image.pdf (SVG)', () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
      ['drawing.pdf (XML SVG)', () => Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')],
      ['setup.pdf (EXE)', () => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)])],
      ['archive.pdf (plain zip)', () => zip([{ name: 'a.txt', data: 'hello' }])],
      ['anim.pdf (GIF)', () => Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
      ['notes.txt (HTML inside text)', () => Buffer.from('Dear colleagues,\n<script>alert(1)</script>\n')],
      ['binary.txt (NUL)', () => Buffer.from('abc\u0000def')],
      ['latin1.txt (not UTF-8)', () => Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e])],
      // Polyglots: HTML that also holds a PDF; images that are also archives (GIFAR-like).
      ['html-then-pdf.pdf', () => Buffer.concat([Buffer.from('<html><script>alert(1)</script>'), pdfWith(['x'])])],
      ['gifar.png', () => Buffer.concat([png(), zip([{ name: 'Evil.class', data: 'cafebabe' }])])],
      ['gifar.jpg', () => Buffer.concat([jpeg(), zip([{ name: 'Evil.class', data: 'cafebabe' }])])],
    ];
    it.each(refused)('refuses %s with 415 FILE_TYPE_NOT_ALLOWED', async (label, make) => {
      const res = await uploadAs(t, alice, label.split(' ')[0]!, make(), 'application/pdf');
      expectError(res, 415, 'FILE_TYPE_NOT_ALLOWED');
    });

    it('keeps a PDF that also holds HTML as a PDF, served so no browser renders it as a page', async () => {
      const polyglot = Buffer.concat([pdfWith(['Polyglot']), Buffer.from('<html><script>alert(1)</script></html>')]);
      const file = await uploaded(t, alice, 'polyglot.pdf', polyglot);
      expect(file.type).toBe('application/pdf');
      const res = await download(t, alice, file.id);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^attachment;/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    });

    it('refuses an empty file, an oversize file (413) and a member without forum access', async () => {
      expectError(await uploadAs(t, alice, 'empty.txt', Buffer.alloc(0)), 400, 'VALIDATION_FAILED');
      const big = Buffer.concat([pdfWith(['big']), Buffer.alloc(64 * 1024, 0x20)]);
      expectError(await uploadAs(t, alice, 'big.pdf', big), 413, 'PAYLOAD_TOO_LARGE');
      expectError(await uploadAs(t, applicant, 'a.pdf', pdfWith(['x'])), 403, 'NOT_VETTED');
      expectError(await uploadAs(t, null, 'a.pdf', pdfWith(['x'])), 401, 'UNAUTHENTICATED');
    });

    it('stores the bytes once, under their SHA-256', async () => {
      const bytes = pdfWith(['Stored by digest']);
      const a = await uploaded(t, bruno, 'one.pdf', bytes);
      const b = await uploaded(t, bruno, 'two.pdf', bytes);
      expect(a.id).not.toBe(b.id);
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(existsSync(join(t.config.attachmentDir, sha.slice(0, 2), sha))).toBe(true);
      const rows = t.handle.sqlite
        .prepare('select distinct sha256 from attachments where id in (?, ?)')
        .all(a.id, b.id);
      expect(rows).toEqual([{ sha256: sha }]);
    });
  });

  describe('attaching to a post', () => {
    it('attaches uploads in order to a reply; every reader of the thread sees them on the post', async () => {
      const pdf = await uploaded(t, alice, 'Cour de cassation, 12 mars 2024.pdf', pdfWith(['Arret de la Cour']));
      const image = await uploaded(t, alice, 'seal.png', png());
      const res = await replyWith(t, alice, threadId, [pdf.id, image.id]);
      expect(res.statusCode, res.body).toBe(201);
      const post = (res.json() as { post: Post }).post;
      expect(post.attachments).toEqual([
        { id: pdf.id, name: 'Cour de cassation, 12 mars 2024.pdf', type: 'application/pdf', size: pdf.size },
        { id: image.id, name: 'seal.png', type: 'image/png', size: image.size },
      ]);
      const page = await send(t, bruno, 'GET', `/api/threads/${threadId}`);
      const shown = (page.json() as { posts: Post[] }).posts.find((p) => p.id === post.id)!;
      expect(shown.attachments.map((a) => a.id)).toEqual([pdf.id, image.id]);
    });

    it("refuses someone else's upload, an upload already on a post, an unknown id, and more than the per-post count", async () => {
      const bruno1 = await uploaded(t, bruno, 'bruno.pdf', pdfWith(['Bruno']));
      const res = await replyWith(t, alice, threadId, [bruno1.id]);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.json().error.details.issues[0]).toMatchObject({
        path: '/attachmentIds/0',
        code: 'attachment_unavailable',
      });

      const mine = await uploaded(t, alice, 'mine.pdf', pdfWith(['Mine']));
      expect((await replyWith(t, alice, threadId, [mine.id])).statusCode).toBe(201);
      expectError(await replyWith(t, alice, threadId, [mine.id]), 400, 'VALIDATION_FAILED');
      expectError(await replyWith(t, alice, threadId, ['0a0a0a0a-no-such-upload']), 400, 'VALIDATION_FAILED');

      const four = [];
      for (let i = 0; i < 4; i++) four.push((await uploaded(t, alice, `n${i}.txt`, Buffer.from(`note ${i}`))).id);
      expectError(await replyWith(t, alice, threadId, four), 400, 'TOO_MANY_ATTACHMENTS');
      // Nothing of the refused post was written, and the uploads are still free to use.
      expect((await replyWith(t, alice, threadId, four.slice(0, 3))).statusCode).toBe(201);
      // Bruno's upload is still his, unattached.
      expect((await replyWith(t, bruno, threadId, [bruno1.id])).statusCode).toBe(201);
    });

    it('lets the uploader remove an unattached upload, not an attached one, and nobody else', async () => {
      const free = await uploaded(t, alice, 'draft.pdf', pdfWith(['Draft']));
      expectError(await send(t, bruno, 'DELETE', `/api/attachments/${free.id}`), 404, 'NOT_FOUND');
      expect((await download(t, bruno, free.id)).statusCode).toBe(404);
      expect((await download(t, alice, free.id)).statusCode).toBe(200);
      expect((await send(t, alice, 'DELETE', `/api/attachments/${free.id}`)).statusCode).toBe(204);
      expect((await download(t, alice, free.id)).statusCode).toBe(404);

      const used = await uploaded(t, alice, 'used.pdf', pdfWith(['Used']));
      await replyWith(t, alice, threadId, [used.id]);
      expectError(await send(t, alice, 'DELETE', `/api/attachments/${used.id}`), 409, 'INVALID_STATE');
    });

    it('changes the files on edit: keeps, adds and removes; the cached page follows', async () => {
      const first = await uploaded(t, alice, 'first.pdf', pdfWith(['First']));
      const posted = (await replyWith(t, alice, threadId, [first.id], 'Edit me.')).json() as { post: Post };
      // Bruno's read fills the page cache.
      await send(t, bruno, 'GET', `/api/threads/${threadId}`);
      const second = await uploaded(t, alice, 'second.txt', Buffer.from('second'));
      const res = await send(t, alice, 'PATCH', `/api/posts/${posted.post.id}`, {
        version: 1,
        body: 'Edit me.',
        attachmentIds: [second.id],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { post: Post }).post.attachments.map((a) => a.id)).toEqual([second.id]);
      const page = (await send(t, bruno, 'GET', `/api/threads/${threadId}`)).json() as { posts: Post[] };
      expect(page.posts.find((p) => p.id === posted.post.id)!.attachments.map((a) => a.name)).toEqual(['second.txt']);
      expect((await download(t, bruno, first.id)).statusCode).toBe(404);
      // A moderator in scope only takes files off: never adds one, never with the text in the same edit.
      const extra = await uploaded(t, modFR, 'extra.txt', Buffer.from('A moderator adds nothing.'));
      expectError(
        await send(t, modFR, 'PATCH', `/api/posts/${posted.post.id}`, {
          version: 1,
          body: 'Edit me.',
          reason: 'Adding an annex.',
          attachmentIds: [second.id, extra.id],
        }),
        403,
        'FORBIDDEN',
      );
      const both = await send(t, modFR, 'PATCH', `/api/posts/${posted.post.id}`, {
        version: 1,
        body: 'Edit me, and the files.',
        reason: 'Tidying.',
        attachmentIds: [],
      });
      expectError(both, 400, 'VALIDATION_FAILED');
      expect(both.json().error.details.issues[0].code).toBe('files_apart');
      const before = lastAuditId(t);
      const told = await notifiedDuring(t, alice, async () => {
        const removed = await send(t, modFR, 'PATCH', `/api/posts/${posted.post.id}`, {
          version: 1,
          body: 'Edit me.',
          reason: 'The file names a witness.',
          attachmentIds: [],
        });
        expect(removed.statusCode, removed.body).toBe(200);
        expect((removed.json() as { post: Post }).post.attachments).toEqual([]);
      });
      expect(told.map((n) => [n.kind, n.params.action])).toEqual([['content_moderated', 'edit']]);
      expect(auditRows(t, { after: before })).toEqual([
        expect.objectContaining({
          action: 'post.edit',
          actorId: modFR.user.id,
          targetUserId: alice.user.id,
          reason: 'The file names a witness.',
          before: { attachments: [second.id] },
          after: { attachments: [] },
        }),
      ]);
      expect((await download(t, bruno, second.id)).statusCode).toBe(404);
      // A moderator of another jurisdiction may not.
      expect(
        (
          await send(t, modKE, 'PATCH', `/api/posts/${posted.post.id}`, {
            version: 1,
            body: 'Edit me.',
            reason: 'Out of scope.',
            attachmentIds: [],
          })
        ).statusCode,
      ).toBe(403);
    });
  });

  describe("a moderator's files-only edit", () => {
    it("respects another moderator's claim, settles the report it answers, and records nothing when nothing changes", async () => {
      const modFR2 = await quickModerator(t, ['FR']);
      const file = await uploaded(t, alice, 'witness.txt', Buffer.from('The witness lives at 12 rue des Lilas.'));
      const posted = (await replyWith(t, alice, threadId, [file.id], 'See the note.')).json() as { post: Post };
      const postId = posted.post.id;
      await report(t, bruno, postId, 'confidential_data');
      const item = (await itemOfPost(t, modFR, postId))!;
      expect((await send(t, modFR, 'POST', `/api/moderation/queue/${item.id}/claim`)).statusCode).toBe(200);
      const edit = (who: Actor, attachmentIds: string[]) =>
        send(t, who, 'PATCH', `/api/posts/${postId}`, {
          version: 1,
          body: 'See the note.',
          reason: 'The note names a witness.',
          attachmentIds,
        });
      expectError(await edit(modFR2, []), 409, 'CLAIMED_BY_OTHER');
      expect((await download(t, bruno, file.id)).statusCode).toBe(200);
      // The same list: no audit entry, nobody told.
      const before = lastAuditId(t);
      expect((await edit(modFR, [file.id])).statusCode).toBe(200);
      expect(auditRows(t, { after: before })).toEqual([]);
      // The claimant takes the file off: the report's item is settled as edited.
      expect((await edit(modFR, [])).statusCode).toBe(200);
      expect((await download(t, bruno, file.id)).statusCode).toBe(404);
      expect(await itemOfPost(t, modFR, postId)).toBeUndefined();
      expect((await itemOfPost(t, modFR, postId, 'closed'))?.resolution).toMatchObject({ action: 'edited' });
    });
  });

  describe('members under review', () => {
    it('attach no file, by a reply or by any edit, even one that leaves the text as it is', async () => {
      const carla = await quickMember(t, 'FR', { displayName: 'Carla Review' });
      const posted = (await replyWith(t, carla, threadId, [], 'Written before the review.')).json() as { post: Post };
      const review = await send(t, modFR, 'PUT', `/api/moderation/users/${carla.user.id}/review`, {
        reason: 'Posts to be checked for a while.',
        underReview: true,
      });
      expect(review.statusCode, review.body).toBe(200);
      const file = await uploaded(t, carla, 'judgment.pdf', pdfWith(['Judgment']));
      const refused = (res: Awaited<ReturnType<typeof send>>) => {
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(res.json().error.details.issues[0].code).toBe('attachments_after_approval');
      };
      refused(await replyWith(t, carla, threadId, [file.id], 'A new reply with a file.'));
      // The same text, files only: refused too (it would skip the review otherwise).
      refused(
        await send(t, carla, 'PATCH', `/api/posts/${posted.post.id}`, {
          version: 1,
          body: 'Written before the review.',
          attachmentIds: [file.id],
        }),
      );
      const page = (await send(t, bruno, 'GET', `/api/threads/${threadId}`)).json() as { posts: Post[] };
      expect(page.posts.find((p) => p.id === posted.post.id)!.attachments).toEqual([]);
      // Taking a file off together with a text change: refused, with the way out named.
      const own = await uploaded(t, alice, 'own.txt', Buffer.from('Her own file.'));
      const withFile = (await replyWith(t, alice, threadId, [own.id], 'Alice, with a file.')).json() as { post: Post };
      const review2 = await send(t, modFR, 'PUT', `/api/moderation/users/${alice.user.id}/review`, {
        reason: 'Checked for a while.',
        underReview: true,
      });
      expect(review2.statusCode, review2.body).toBe(200);
      try {
        const both = await send(t, alice, 'PATCH', `/api/posts/${withFile.post.id}`, {
          version: 1,
          body: 'Alice, with the file taken off.',
          attachmentIds: [],
        });
        expectError(both, 400, 'VALIDATION_FAILED');
        expect(both.json().error.details.issues[0].code).toBe('files_apart');
        // The file alone: done at once (nothing new goes out).
        const alone = await send(t, alice, 'PATCH', `/api/posts/${withFile.post.id}`, {
          version: 1,
          body: 'Alice, with a file.',
          attachmentIds: [],
        });
        expect(alone.statusCode, alone.body).toBe(200);
      } finally {
        await send(t, modFR, 'PUT', `/api/moderation/users/${alice.user.id}/review`, {
          reason: 'Done.',
          underReview: false,
        });
      }
    });
  });

  describe('GET /api/attachments/:id', () => {
    let postId: string;
    let pdfId: string;
    let imageId: string;
    let textId: string;
    beforeAll(async () => {
      pdfId = (await uploaded(t, alice, 'Judgment «Rétention» 2024.pdf', pdfWith(['Retention judgment']))).id;
      imageId = (await uploaded(t, alice, 'exhibit.png', png())).id;
      textId = (await uploaded(t, alice, 'notes.txt', Buffer.from('Plain notes'))).id;
      const res = await replyWith(t, alice, threadId, [pdfId, imageId, textId]);
      postId = (res.json() as { post: Post }).post.id;
    });

    it('serves the file with nosniff, a sandboxing CSP and its name in RFC 5987 encoding', async () => {
      const res = await download(t, bruno, pdfId);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-disposition']).toBe(
        `attachment; filename="Judgment _R_tention_ 2024.pdf"; filename*=UTF-8''Judgment%20%C2%ABR%C3%A9tention%C2%BB%202024.pdf`,
      );
      expect(filenameOf(res)).toBe('Judgment «Rétention» 2024.pdf');
    });

    it('shows images inline and text as UTF-8 text, both still nosniff and sandboxed', async () => {
      const image = await download(t, bruno, imageId);
      expect(image.headers['content-type']).toBe('image/png');
      expect(image.headers['content-disposition']).toMatch(/^inline; /);
      expect(image.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      const text = await download(t, bruno, textId);
      expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(text.headers['content-disposition']).toMatch(/^attachment; /);
      expect(text.body).toBe('Plain notes');
    });

    it('refuses those who may not read the post, exactly as the post is refused', async () => {
      const source = (who: Actor | null) => send(t, who, 'GET', `/api/posts/${postId}/source`);
      for (const who of [null, applicant]) {
        const [post, file] = [await source(who), await download(t, who, pdfId)];
        expect(file.statusCode).toBe(post.statusCode);
        expect(file.json().error.code).toBe(post.json().error.code);
      }
      expect((await download(t, null, pdfId)).statusCode).toBe(401);
      expect((await download(t, applicant, pdfId)).json().error.code).toBe('NOT_VETTED');
      expectError(await download(t, bruno, 'no-such-attachment'), 404, 'NOT_FOUND');
    });

    it('takes the files with a hidden post (back after restore); the author and moderators in scope still have them', async () => {
      expect((await moderatePost(t, modFR, postId, 'hide')).statusCode).toBe(200);
      const source = (who: Actor) => send(t, who, 'GET', `/api/posts/${postId}/source`);
      for (const id of [pdfId, imageId, textId]) expectError(await download(t, bruno, id), 404, 'NOT_FOUND');
      expect((await source(bruno)).statusCode).toBe(404);
      // A moderator of another jurisdiction is refused as for the post; the author and the FR moderator read it.
      expect((await source(modKE)).statusCode).toBe(404);
      expectError(await download(t, modKE, pdfId), 404, 'NOT_FOUND');
      expect((await download(t, alice, pdfId)).statusCode).toBe(200);
      expect((await download(t, modFR, pdfId)).statusCode).toBe(200);
      // The thread page withholds them with the content.
      const page = (await send(t, bruno, 'GET', `/api/threads/${threadId}`)).json() as { posts: Post[] };
      expect(page.posts.find((p) => p.id === postId)).toMatchObject({ withheld: true, attachments: [] });

      expect((await moderatePost(t, modFR, postId, 'restore')).statusCode).toBe(200);
      expect((await download(t, bruno, pdfId)).statusCode).toBe(200);
      const again = (await send(t, bruno, 'GET', `/api/threads/${threadId}`)).json() as { posts: Post[] };
      expect(again.posts.find((p) => p.id === postId)!.attachments).toHaveLength(3);

      expect((await moderatePost(t, modFR, postId, 'delete')).statusCode).toBe(200);
      expectError(await download(t, bruno, pdfId), 404, 'NOT_FOUND');
      expect((await download(t, modFR, pdfId)).statusCode).toBe(200);
    });
  });

  describe('limits', () => {
    it("enforces the member's quota over all their uploads", async () => {
      const carol = await quickMember(t, 'FR', { displayName: 'Carol Quota' });
      const limits = await send(t, carol, 'GET', '/api/attachments/limits');
      expect(limits.json()).toMatchObject({ maxBytes: 64 * 1024, perPost: 3, quotaBytes: 200 * 1024, usedBytes: 0 });
      const chunk = (i: number) => Buffer.from(`${'x'.repeat(60 * 1024)} ${i}`);
      for (let i = 0; i < 3; i++) await uploaded(t, carol, `c${i}.txt`, chunk(i));
      expectError(await uploadAs(t, carol, 'c3.txt', chunk(3)), 409, 'QUOTA_EXCEEDED');
      expect((await send(t, carol, 'GET', '/api/attachments/limits')).json().usedBytes).toBe(3 * chunk(0).length);
    });

    it('takes the bytes off the disk when their last upload is removed, so the quota holds for the disk too', async () => {
      const erin = await quickMember(t, 'FR', { displayName: 'Erin Remove' });
      const stored = (digest: string) => existsSync(join(t.app.config.attachmentDir, digest.slice(0, 2), digest));
      const bytes = pdfWith(['Uploaded and removed at once']);
      const first = await uploaded(t, erin, 'once.pdf', bytes);
      const second = await uploaded(t, erin, 'twice.pdf', bytes);
      const digest = createHash('sha256').update(bytes).digest('hex');
      expect(stored(digest)).toBe(true);
      expect((await send(t, erin, 'DELETE', `/api/attachments/${first.id}`)).statusCode).toBe(204);
      // Another upload of the same bytes still holds them.
      expect(stored(digest)).toBe(true);
      expect((await download(t, erin, second.id)).statusCode).toBe(200);
      expect((await send(t, erin, 'DELETE', `/api/attachments/${second.id}`)).statusCode).toBe(204);
      expect(stored(digest)).toBe(false);
      // Uploaded again, they are written again.
      const third = await uploaded(t, erin, 'thrice.pdf', bytes);
      expect((await download(t, erin, third.id)).statusCode).toBe(200);
    });

    it('sweeps unattached uploads after a day, and keeps attached ones', async () => {
      const dave = await quickMember(t, 'FR', { displayName: 'Dave Sweep' });
      const left = await uploaded(t, dave, 'left.pdf', pdfWith(['Left behind']));
      const kept = await uploaded(t, dave, 'kept.pdf', pdfWith(['Kept on a post']));
      expect((await replyWith(t, dave, threadId, [kept.id])).statusCode).toBe(201);
      t.clock.advance(DAY + 1000);
      const swept = await t.app.attachments.sweep();
      expect(swept.uploads).toBeGreaterThanOrEqual(1);
      expect((await download(t, dave, left.id)).statusCode).toBe(404);
      expect((await download(t, dave, kept.id)).statusCode).toBe(200);
    });
  });

  describe('search', () => {
    it('finds a post by a phrase inside its PDF, with the visibility of the post; a scanned PDF attaches but is not found', async () => {
      const phrase = 'transhipment of falsified antimalarials';
      const judgment = await uploaded(
        t,
        alice,
        'judgment.pdf',
        pdfWith(['Court of Appeal, 2024', `On the ${phrase} via free zones`]),
      );
      expect(judgment.searchable).toBe(true);
      const scan = await uploaded(t, alice, 'scan.pdf', pdfWith([]));
      expect(scan.searchable).toBe(false);
      const before = await send(t, bruno, 'GET', `/api/search?q=${encodeURIComponent(`"${phrase}"`)}`);
      expect((before.json() as SearchPage).results).toHaveLength(0);

      const res = await replyWith(
        t,
        alice,
        threadId,
        [judgment.id, scan.id],
        'The judgment, and a scan of the seizure report.',
      );
      expect(res.statusCode, res.body).toBe(201);
      const postId = (res.json() as { post: Post }).post.id;
      const found = async (who: Actor, q: string) => {
        const page = await send(t, who, 'GET', `/api/search?q=${encodeURIComponent(q)}`);
        expect(page.statusCode, page.body).toBe(200);
        return (page.json() as SearchPage).results.flatMap((r) => r.posts.map((p) => p.id));
      };
      expect(await found(bruno, `"${phrase}"`)).toContain(postId);
      expect(await found(bruno, 'antimalarials')).toContain(postId);

      // Hidden: gone from members' results, still in the moderator's; back after restore.
      expect((await moderatePost(t, modFR, postId, 'hide')).statusCode).toBe(200);
      expect(await found(bruno, `"${phrase}"`)).not.toContain(postId);
      expect(await found(modFR, `"${phrase}"`)).toContain(postId);
      expect((await moderatePost(t, modFR, postId, 'restore')).statusCode).toBe(200);
      expect(await found(bruno, `"${phrase}"`)).toContain(postId);

      // An edit of the post's text keeps its files' text in the index; removing the file takes it out.
      const edited = await send(t, alice, 'PATCH', `/api/posts/${postId}`, {
        version: 1,
        body: 'The judgment, edited.',
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(await found(bruno, `"${phrase}"`)).toContain(postId);
      const removed = await send(t, alice, 'PATCH', `/api/posts/${postId}`, {
        version: 2,
        body: 'The judgment, edited.',
        attachmentIds: [scan.id],
      });
      expect(removed.statusCode, removed.body).toBe(200);
      expect(await found(bruno, `"${phrase}"`)).not.toContain(postId);
      // The index agrees with what a rebuild would write.
      const report = (await import('@lexforum/db')).checkSearchIndex(t.handle.sqlite);
      expect(report.differences, JSON.stringify(report)).toBe(0);
    });
  });

  describe('file names from the naughty strings', () => {
    const available = requireCorpora();
    it.runIf(available)(
      'keeps every blns.json name as text and gives it back exactly in filename*',
      async () => {
        const erin = await quickMember(t, 'FR', { displayName: 'Erin Names' });
        let checked = 0;
        for (const raw of readBlns()) {
          if (raw.length === 0 || raw.length > 1000) continue;
          const res = await uploadAs(t, erin, raw, Buffer.from('n'));
          if (res.statusCode !== 201) {
            // A name whose cleaned form claims another format is refused as text; nothing else is.
            expectError(res, 415, 'FILE_TYPE_NOT_ALLOWED');
            continue;
          }
          const file = (res.json() as { attachment: Upload }).attachment;
          // eslint-disable-next-line no-control-regex -- control characters must not survive in a name
          expect(file.name).not.toMatch(/[\u0000-\u001f\u007f/\\]/);
          const got = await download(t, erin, file.id);
          expect(got.statusCode).toBe(200);
          expect(String(got.headers['content-disposition'])).not.toMatch(/[\r\n]/);
          expect(filenameOf(got)).toBe(file.name);
          await send(t, erin, 'DELETE', `/api/attachments/${file.id}`);
          checked++;
        }
        expect(checked).toBeGreaterThan(400);
      },
      120_000,
    );
  });
});
