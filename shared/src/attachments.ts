/**
 * Files attached to posts: judgments, statutes, scans. The type is decided by the server from the
 * content (never the name or the declared type); these are the types it accepts. An upload belongs
 * to its uploader until a post is written (or edited) with its id.
 */
import Type from 'typebox';

export const ATTACHMENT_MIME_TYPES = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
  'text/plain',
  'image/png',
  'image/jpeg',
] as const;
export type AttachmentMimeType = (typeof ATTACHMENT_MIME_TYPES)[number];

/** Shown inline (a preview) rather than only downloaded. */
export const INLINE_ATTACHMENT_TYPES: readonly AttachmentMimeType[] = ['image/png', 'image/jpeg'];

/** The longest original file name kept (longer names are cut, keeping the extension). */
export const ATTACHMENT_NAME_MAX = 200;

/** How many attachment ids a post may name in one request (the per-post limit is a config key). */
export const ATTACHMENT_IDS_MAX = 50;

export const AttachmentId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' });

export const AttachmentIds = Type.Array(AttachmentId, { maxItems: ATTACHMENT_IDS_MAX });

/** An attachment as readers of its post see it. Its file: `GET /api/attachments/:id`. */
export const Attachment = Type.Object({
  id: Type.String(),
  /** The original file name (as text: it is never trusted as a path or as HTML). */
  name: Type.String(),
  /** Decided from the content. */
  type: Type.Enum(ATTACHMENT_MIME_TYPES),
  size: Type.Integer({ minimum: 0 }),
});
export type Attachment = Type.Static<typeof Attachment>;

/** An upload as its uploader sees it. */
export const Upload = Type.Object({
  ...Attachment.properties,
  /** Text was found in it (PDF or plain text): the post will be found by it. */
  searchable: Type.Boolean(),
  /** The post it is attached to; null until the post is written with it. */
  postId: Type.Union([Type.String(), Type.Null()]),
});
export type Upload = Type.Static<typeof Upload>;

export const UploadEnvelope = Type.Object({ attachment: Upload });
export type UploadEnvelope = Type.Static<typeof UploadEnvelope>;

export const UploadQuery = Type.Object(
  {
    /** The original file name (the body is the file's bytes, `application/octet-stream`). */
    name: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type UploadQuery = Type.Static<typeof UploadQuery>;

export const AttachmentParams = Type.Object({ id: AttachmentId }, { additionalProperties: false });
export type AttachmentParams = Type.Static<typeof AttachmentParams>;

/** The limits the composer checks before sending a file (the server checks them again). */
export const AttachmentLimits = Type.Object({
  maxBytes: Type.Integer({ minimum: 1 }),
  perPost: Type.Integer({ minimum: 0 }),
  quotaBytes: Type.Integer({ minimum: 0 }),
  /** What this member's uploads take now (attached or not). */
  usedBytes: Type.Integer({ minimum: 0 }),
  types: Type.Array(Type.Enum(ATTACHMENT_MIME_TYPES)),
});
export type AttachmentLimits = Type.Static<typeof AttachmentLimits>;
