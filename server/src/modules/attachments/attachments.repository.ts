/** Queries of the attachments table (hot reads prepared once per database handle). */
import { sqliteOf, type AttachmentRow, type DbOrTx } from '@lexforum/db';
import type { Attachment } from '@lexforum/shared';
import { prepared } from '../../lib/prepared.js';

interface RawAttachment {
  id: string;
  uploader_id: string;
  post_id: string | null;
  position: number;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  has_text: number;
  created_at: number;
}

export type StoredAttachment = Omit<AttachmentRow, 'text' | 'createdAt' | 'attachedAt'> & {
  hasText: boolean;
  createdAt: Date;
};

const COLUMNS = `id, uploader_id, post_id, position, name, mime, size, sha256, text is not null as has_text, created_at`;

const toRow = (r: RawAttachment): StoredAttachment => ({
  id: r.id,
  uploaderId: r.uploader_id,
  postId: r.post_id,
  position: r.position,
  name: r.name,
  mime: r.mime,
  size: r.size,
  sha256: r.sha256,
  hasText: r.has_text === 1,
  createdAt: new Date(r.created_at),
});

export function findAttachment(db: DbOrTx, id: string): StoredAttachment | undefined {
  const sqlite = sqliteOf(db);
  const row = prepared(sqlite, 'attachments.find', () =>
    sqlite.prepare<[string], RawAttachment>(`select ${COLUMNS} from attachments where id = ?`),
  ).get(id);
  return row ? toRow(row) : undefined;
}

export function attachmentsOfPost(db: DbOrTx, postId: string): StoredAttachment[] {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'attachments.ofPost', () =>
    sqlite.prepare<[string], RawAttachment>(
      `select ${COLUMNS} from attachments where post_id = ? order by position, created_at, id`,
    ),
  )
    .all(postId)
    .map(toRow);
}

/** Bytes a member's uploads take (attached or not). */
export function usedBytes(db: DbOrTx, uploaderId: string): number {
  const sqlite = sqliteOf(db);
  return prepared(sqlite, 'attachments.used', () =>
    sqlite.prepare<[string], { n: number }>(
      'select coalesce(sum(size), 0) as n from attachments where uploader_id = ?',
    ),
  ).get(uploaderId)!.n;
}

export function insertAttachment(
  db: DbOrTx,
  row: {
    id: string;
    uploaderId: string;
    name: string;
    mime: string;
    size: number;
    sha256: string;
    text: string | null;
    now: Date;
  },
): void {
  sqliteOf(db)
    .prepare(
      `insert into attachments (id, uploader_id, name, mime, size, sha256, text, created_at)
       values (@id, @uploaderId, @name, @mime, @size, @sha256, @text, @createdAt)`,
    )
    .run({ ...row, createdAt: row.now.getTime(), now: undefined });
}

/** Puts an upload on a post at a position. */
export function attachTo(db: DbOrTx, id: string, postId: string, position: number, now: Date): void {
  sqliteOf(db)
    .prepare('update attachments set post_id = ?, position = ?, attached_at = coalesce(attached_at, ?) where id = ?')
    .run(postId, position, now.getTime(), id);
}

export function deleteAttachment(db: DbOrTx, id: string): void {
  sqliteOf(db).prepare('delete from attachments where id = ?').run(id);
}

/** Unattached uploads made before `before`: removed, with the digests they held. */
export function sweepUnattached(db: DbOrTx, before: Date): string[] {
  return sqliteOf(db)
    .prepare<[number], { sha256: string }>(
      'delete from attachments where post_id is null and created_at < ? returning sha256',
    )
    .all(before.getTime())
    .map((r) => r.sha256);
}

export function isReferenced(db: DbOrTx, sha256: string): boolean {
  return (
    sqliteOf(db)
      .prepare<[string], { n: number }>('select 1 as n from attachments where sha256 = ? limit 1')
      .get(sha256) !== undefined
  );
}

/** The column the post reads add: a post's attachments as JSON, in order (one index lookup per post). */
export const POST_ATTACHMENTS_SQL = `(select json_group_array(json_object('id', a.id, 'name', a.name, 'type', a.mime, 'size', a.size))
  from (select id, name, mime, size from attachments where post_id = p.id order by position, created_at, id) a)`;

export function parseAttachments(json: string | null | undefined): Attachment[] {
  return json ? (JSON.parse(json) as Attachment[]) : [];
}
