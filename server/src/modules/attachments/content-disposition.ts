/**
 * `Content-Disposition` with the original file name (RFC 6266): an ASCII `filename` for old
 * clients (anything else replaced by `_`) and the exact name as `filename*` in RFC 5987 encoding
 * (UTF-8, percent-encoded outside attr-char). No byte of the name reaches the header unencoded, so
 * no name can end the header or add another.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

export function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
