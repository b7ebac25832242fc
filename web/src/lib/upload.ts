/**
 * Uploading a file with progress: XMLHttpRequest, because fetch reports no upload progress. The
 * body is the File itself (the server sniffs its type from the bytes); the original name travels
 * in the query. A refusal becomes the same `ApiError` as every other API call, worded by code.
 */
import type { ErrorBody, Upload, UploadEnvelope } from '@lexforum/shared';
import { api, ApiError } from './api.js';
import { readerMessage } from './errors.js';
import { m } from './i18n.js';
import { issueText } from './issues.js';

export interface UploadHandle {
  done: Promise<Upload>;
  abort: () => void;
}

export function uploadFile(file: File, onprogress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<Upload>((resolve, reject) => {
    xhr.open('POST', `/api/attachments?name=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onprogress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let data: unknown;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = undefined;
      }
      if (xhr.status === 201 && data) {
        onprogress(1);
        resolve((data as UploadEnvelope).attachment);
        return;
      }
      const error = (data as Partial<ErrorBody> | undefined)?.error;
      reject(
        error
          ? new ApiError(xhr.status, error.code, readerMessage(error.code, error.message), error.details?.issues)
          : new ApiError(xhr.status, 'INTERNAL_ERROR', m.error_unexpected()),
      );
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', m.error_network()));
    xhr.onabort = () => reject(new ApiError(0, 'NETWORK_ERROR', m.attachment_upload_cancelled()));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

/** A composer's files as its post names them: those uploaded (or already on the post), in order. */
export function attachmentIdsOf(files: readonly { upload?: { id: string } }[]): string[] {
  return files.flatMap((f) => (f.upload ? [f.upload.id] : []));
}

/** A file still uploading: the post waits for it (or for its removal). */
export function stillUploading(files: readonly { upload?: unknown; error?: string }[]): boolean {
  return files.some((f) => !f.upload && !f.error);
}

/** A composer closed without posting: its uploads in progress stop and the new ones are deleted. */
export function forgetUploads(
  files: readonly { upload?: { id: string }; attached?: boolean; handle?: UploadHandle }[],
): void {
  for (const file of files) {
    file.handle?.abort();
    if (file.upload && !file.attached) {
      void api.del(`/api/attachments/${encodeURIComponent(file.upload.id)}`).catch(() => undefined);
    }
  }
}

/**
 * Why the server refused a post's files (someone else's upload, files for a post that will wait for
 * review), if it did: `alert` for the form's alert, `field` for under the files (what to do).
 */
export function fileRefusal(failure: ApiError): { alert: string; field: string } | undefined {
  const issue = failure.issues.find((i) => i.path === '/attachmentIds' || i.path.startsWith('/attachmentIds/'));
  const text = issueText(issue);
  if (!issue || !text) return undefined;
  return { alert: text, field: issue.code === 'attachments_after_approval' ? m.attachment_remove_to_send() : text };
}

/** A size for people: "820 KB", "1.4 MB". */
export function formatSize(bytes: number, locale: string): string {
  const format = (value: number, unit: 'kilobyte' | 'megabyte') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
  return bytes >= 1024 * 1024
    ? format(bytes / 1024 / 1024, 'megabyte')
    : format(Math.max(1, Math.ceil(bytes / 1024)), 'kilobyte');
}

/** A short name of an accepted type, for people. */
export function typeLabel(type: string): string {
  switch (type) {
    case 'application/pdf':
      return 'PDF';
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return 'DOCX';
    case 'application/vnd.oasis.opendocument.text':
      return 'ODT';
    case 'image/png':
      return 'PNG';
    case 'image/jpeg':
      return 'JPEG';
    default:
      return m.attachment_type_text();
  }
}
