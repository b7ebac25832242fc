/**
 * Attachments: a member uploads a file before the post exists (it is theirs, unattached), the post
 * is written or edited with its id, and readers of the post download it. Access first (Guardian),
 * then the cheap checks (size, quota, count), then the costly ones (sniffing, hashing off the event
 * loop, text extraction in the worker pool), then one write. Who may download is decided at every
 * download from the post as it is now: a hidden or removed post takes its files with it.
 */
import { randomUUID, webcrypto } from 'node:crypto';
import type { Db, DbOrTx } from '@lexforum/db';
import {
  ATTACHMENT_MIME_TYPES,
  ATTACHMENT_NAME_MAX,
  type AttachmentLimits,
  type AttachmentMimeType,
  type Upload,
} from '@lexforum/shared';
import type { Readable } from 'node:stream';
import type { Clock } from '../../lib/clock.js';
import { AppError, notFound } from '../../lib/errors.js';
import type { Guardian } from '../guardian/guardian.js';
import { postAndThread } from '../moderation/moderation.checks.js';
import * as repo from './attachments.repository.js';
import type { BlobStore } from './blob-store.js';
import type { ExtractPool } from './extract-pool.js';
import { cleanFileName, sniffAttachment } from './sniff.js';

export interface AttachmentRules {
  maxBytes: number;
  perPost: number;
  quotaBytes: number;
  textMaxChars: number;
  pdfMaxPages: number;
}

/** An unattached upload older than this is swept. */
export const UNATTACHED_TTL_MS = 24 * 3600 * 1000;

export interface Download {
  stream: Readable;
  name: string;
  mime: AttachmentMimeType;
  size: number;
}

export class AttachmentService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly store: BlobStore,
    private readonly extractor: ExtractPool,
    readonly rules: AttachmentRules,
    private readonly log: { warn: (o: object, m: string) => void } = { warn: () => {} },
  ) {}

  limits(guardian: Guardian): AttachmentLimits {
    guardian.ensureForumAccess();
    return {
      maxBytes: this.rules.maxBytes,
      perPost: this.rules.perPost,
      quotaBytes: this.rules.quotaBytes,
      usedBytes: repo.usedBytes(this.db, guardian.user.id),
      types: [...ATTACHMENT_MIME_TYPES],
    };
  }

  async upload(guardian: Guardian, rawName: string, bytes: Buffer): Promise<Upload> {
    guardian.ensureForumAccess();
    const userId = guardian.user.id;
    if (this.rules.perPost === 0) throw new AppError(403, 'FORBIDDEN', 'Attachments are turned off on this forum.');
    if (bytes.length > this.rules.maxBytes) throw tooLarge(this.rules.maxBytes);
    if (bytes.length === 0) throw new AppError(400, 'VALIDATION_FAILED', 'The file is empty.');
    this.ensureQuota(this.db, userId, bytes.length);
    const name = cleanFileName(rawName, ATTACHMENT_NAME_MAX);
    const sniffed = await sniffAttachment(bytes, name);
    if (!sniffed.ok) {
      throw new AppError(
        415,
        'FILE_TYPE_NOT_ALLOWED',
        `${sniffed.reason} Attach PDF, DOCX, ODT, plain text, PNG or JPEG files.`,
      );
    }
    // Web Crypto's digest runs on libuv's thread pool, not on the event loop.
    const sha256 = Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
    await this.store.put(sha256, bytes);
    let text: string | null = null;
    if (sniffed.mime === 'application/pdf' || sniffed.mime === 'text/plain') {
      const extracted = await this.extractor.extract({
        mime: sniffed.mime,
        bytes,
        maxChars: this.rules.textMaxChars,
        maxPages: this.rules.pdfMaxPages,
      });
      if (extracted.failed) this.log.warn({ sha256, failed: extracted.failed }, 'attachment text not extracted');
      text = extracted.text;
    }
    const id = randomUUID();
    const now = this.clock.now();
    this.db.transaction((tx) => {
      // Again in the write: two uploads at once must not pass the quota together.
      this.ensureQuota(tx, userId, bytes.length);
      repo.insertAttachment(tx, {
        id,
        uploaderId: userId,
        name,
        mime: sniffed.mime,
        size: bytes.length,
        sha256,
        text,
        now,
      });
    });
    // A removal of the same bytes by someone else between our write and our row took them away:
    // the row now keeps them, so they are written again (one digest at a time, see remove).
    await this.oneDigestAtATime(sha256, async () => {
      if (!(await this.store.has(sha256))) await this.store.put(sha256, bytes);
    });
    return { id, name, type: sniffed.mime, size: bytes.length, searchable: text !== null, postId: null };
  }

  /** The uploader removes an upload not yet on a post (the composer's Remove). */
  async remove(guardian: Guardian, id: string): Promise<void> {
    guardian.ensureForumAccess();
    const row = repo.findAttachment(this.db, id);
    if (!row || row.uploaderId !== guardian.user.id) throw notFound('That attachment');
    if (row.postId !== null) {
      throw new AppError(409, 'INVALID_STATE', 'This file is on a post: edit the post to remove it.');
    }
    // The bytes go with their last row, so removed uploads do not pile up on disk beside the quota
    // (which counts rows). An upload of the same bytes under way writes them again (see upload).
    this.db.transaction((tx) => repo.deleteAttachment(tx, id));
    await this.oneDigestAtATime(row.sha256, async () => {
      if (!repo.isReferenced(this.db, row.sha256)) await this.store.delete(row.sha256);
    });
  }

  /** Digests being checked and written or deleted: each waits for the one before (one process). */
  private readonly digestLocks = new Map<string, Promise<void>>();

  /**
   * Runs `work` alone for this digest: "unreferenced, so delete" and "referenced now, so make
   * sure the bytes exist" never interleave, whatever the file system's steps.
   */
  private async oneDigestAtATime(sha256: string, work: () => Promise<void>): Promise<void> {
    const before = this.digestLocks.get(sha256) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.catch(() => undefined);
    this.digestLocks.set(sha256, settled);
    try {
      await mine;
    } finally {
      if (this.digestLocks.get(sha256) === settled) this.digestLocks.delete(sha256);
    }
  }

  /**
   * The file, if this reader may read it now: an upload not yet on a post only to its uploader; one
   * on a post to whoever may read that post's content (refused exactly as the post is: 403 for
   * those without forum access, 404 for a post or thread out of their sight).
   */
  async download(guardian: Guardian, id: string): Promise<Download> {
    guardian.ensureForumAccess();
    const row = repo.findAttachment(this.db, id);
    if (!row) throw notFound('That attachment');
    if (row.postId === null) {
      if (row.uploaderId !== guardian.user.id) throw notFound('That attachment');
    } else {
      try {
        postAndThread(this.db, row.postId, guardian);
      } catch (error) {
        if (error instanceof AppError && error.statusCode === 404) throw notFound('That attachment');
        throw error;
      }
    }
    const stream = await this.store.stream(row.sha256);
    if (!stream) throw notFound('That attachment');
    return { stream, name: row.name, mime: row.mime as AttachmentMimeType, size: row.size };
  }

  /** The ids of a post's files, in order. */
  filesOf(db: DbOrTx, postId: string): string[] {
    return repo.attachmentsOfPost(db, postId).map((a) => a.id);
  }

  /** Whether an edit's list names a file that is not on the post yet. */
  namesNewFiles(db: DbOrTx, postId: string, ids: readonly string[]): boolean {
    const current = new Set(repo.attachmentsOfPost(db, postId).map((a) => a.id));
    return ids.some((id) => !current.has(id));
  }

  /**
   * In the transaction writing or editing a post: puts the listed uploads on it, in order. Each
   * must be an upload of `uploaderId` that is free or already on this post; the post may have at
   * most `perPost`. With `replace`, files of the post left out of the list are removed.
   */
  attach(
    tx: DbOrTx,
    {
      uploaderId,
      postId,
      ids,
      replace,
      now,
    }: { uploaderId: string; postId: string; ids: readonly string[]; replace: boolean; now: Date },
  ): void {
    const unique = [...new Set(ids)];
    if (unique.length > this.rules.perPost) {
      throw new AppError(400, 'TOO_MANY_ATTACHMENTS', `A post may have at most ${this.rules.perPost} files.`);
    }
    unique.forEach((id, index) => {
      const row = repo.findAttachment(tx, id);
      if (!row || row.uploaderId !== uploaderId || (row.postId !== null && row.postId !== postId)) {
        throw new AppError(
          400,
          'VALIDATION_FAILED',
          'One of the files is not an upload of yours that can be attached.',
          {
            issues: [
              {
                path: `/attachmentIds/${index}`,
                code: 'attachment_unavailable',
                message: 'Not an upload of yours that can be attached.',
              },
            ],
          },
        );
      }
    });
    // Files left out of the list leave the post; their bytes go with the hourly sweep.
    if (replace) {
      for (const current of repo.attachmentsOfPost(tx, postId)) {
        if (!unique.includes(current.id)) repo.deleteAttachment(tx, current.id);
      }
    }
    unique.forEach((id, index) => repo.attachTo(tx, id, postId, index, now));
  }

  /**
   * Removes unattached uploads older than a day, then the stored bytes no upload refers to (theirs,
   * removed uploads', those of posts deleted for good). Bytes stored or renewed within the day are
   * kept: they may belong to an upload in progress (the bytes are written before the row). The
   * wall clock dates the files, the app's clock the rows.
   */
  async sweep(): Promise<{ uploads: number; blobs: number }> {
    const before = new Date(this.clock.now().getTime() - UNATTACHED_TTL_MS);
    const uploads = this.db.transaction((tx) => repo.sweepUnattached(tx, before)).length;
    const young = Date.now() - UNATTACHED_TTL_MS;
    let blobs = 0;
    for await (const { sha256, storedAt } of this.store.keys()) {
      if (storedAt.getTime() < young && !repo.isReferenced(this.db, sha256)) {
        await this.store.delete(sha256);
        blobs++;
      }
    }
    return { uploads, blobs };
  }

  private ensureQuota(db: DbOrTx, userId: string, size: number): void {
    const used = repo.usedBytes(db, userId);
    if (used + size > this.rules.quotaBytes) {
      throw new AppError(
        409,
        'QUOTA_EXCEEDED',
        `Your files would take more than your ${formatBytes(this.rules.quotaBytes)} (${formatBytes(used)} used).`,
      );
    }
  }
}

/** A post named attachments where the forum cannot attach them (a service wired without them). */
export function attachmentsUnavailable(): AppError {
  return new AppError(400, 'VALIDATION_FAILED', 'Files cannot be attached here.', {
    issues: [{ path: '/attachmentIds', code: 'attachment_unavailable', message: 'Files cannot be attached here.' }],
  });
}

/**
 * Files from a member under review: held posts wait for a moderator for days and uploads are kept
 * a day, so files come once their posts are approved.
 */
export function attachmentsHeld(): AppError {
  const message = 'Files can be attached once your first posts are approved.';
  return new AppError(400, 'VALIDATION_FAILED', message, {
    issues: [{ path: '/attachmentIds', code: 'attachments_after_approval', message }],
  });
}

/** Files taken off together with a change of the text (a moderator, or a member under review). */
export function filesApart(): AppError {
  const message = 'Take files off in an edit of their own, with the text left as it is.';
  return new AppError(400, 'VALIDATION_FAILED', message, {
    issues: [{ path: '/attachmentIds', code: 'files_apart', message }],
  });
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError(413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${formatBytes(maxBytes)}.`);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
