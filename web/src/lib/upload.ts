/**
 * Uploading a file with progress: XMLHttpRequest, because fetch reports no upload progress. The
 * body is the File itself (the server sniffs its type from the bytes); the original name travels
 * in the query. A refusal becomes the same `ApiError` as every other API call, worded by code.
 */
import type { ErrorBody, Upload, UploadEnvelope } from '@lexforum/shared';
import { ApiError } from './api.js';
import { readerMessage } from './errors.js';
import { m } from './i18n.js';

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
