/**
 * What a file is, decided from its bytes alone (the name and the declared type are never trusted):
 * `file-type` reads the magic bytes (and tells DOCX and ODT from other zip files by their
 * entries); a file without magic bytes is plain text only if it is valid UTF-8 without NULs.
 *
 * Decisions on files that are two things at once (polyglots), each tested:
 * - A PDF is what starts with the PDF header, whatever else it holds (HTML, script): it is served
 *   as `application/pdf`, as a download, with `nosniff` and a sandboxing CSP, so no browser renders
 *   it as a page.
 * - A PNG with bytes after its end (IEND), or a JPEG holding a zip signature (GIFAR-like: an image
 *   that is also an archive a plugin or unzipper would open) is refused: images are shown inline.
 * - Text that a browser would sniff as markup (starting with `<`, or holding an HTML/SVG/script
 *   tag) is refused, and so is text whose name claims a format it is not (`x.pdf`, `x.js`, `x.svg`):
 *   text is the fallback for files without magic bytes, so the name may refuse it, never type it.
 */
import { fileTypeFromBuffer } from 'file-type';
import type { AttachmentMimeType } from '@lexforum/shared';

export type Sniffed = { ok: true; mime: AttachmentMimeType } | { ok: false; reason: string };

const BINARY: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
  'image/png',
  'image/jpeg',
]);

/** Extensions a plain-text file may carry (or none). */
const TEXT_EXTENSIONS: ReadonlySet<string> = new Set(['', 'txt', 'text', 'md', 'csv', 'log']);

const MARKUP = /<\s*\/?\s*(script|html|svg|iframe|body|head|object|embed|meta|link|style|img|a|form|math)\b/i;

export async function sniffAttachment(bytes: Uint8Array, name: string): Promise<Sniffed> {
  if (bytes.length === 0) return { ok: false, reason: 'The file is empty.' };
  const found = await fileTypeFromBuffer(bytes);
  if (found) {
    if (!BINARY.has(found.mime)) return { ok: false, reason: `This is a ${found.ext.toUpperCase()} file.` };
    const mime = found.mime as AttachmentMimeType;
    if (mime === 'image/png' && !pngEndsAtIend(bytes)) {
      return { ok: false, reason: 'The image holds more than an image (data after its end).' };
    }
    if (mime === 'image/jpeg' && holdsZip(bytes)) {
      return { ok: false, reason: 'The image holds an archive as well.' };
    }
    return { ok: true, mime };
  }
  return plainText(bytes, name);
}

function plainText(bytes: Uint8Array, name: string): Sniffed {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'The file is not a PDF, DOCX, ODT, PNG, JPEG or UTF-8 text file.' };
  }
  if (text.includes('\u0000')) return { ok: false, reason: 'The file is binary, not text.' };
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<') || MARKUP.test(text)) {
    return { ok: false, reason: 'The file is markup (HTML, SVG or XML), which is not accepted.' };
  }
  if (!TEXT_EXTENSIONS.has(extensionOf(name))) {
    return { ok: false, reason: `The file is text, not what its name says (.${extensionOf(name)}).` };
  }
  return { ok: true, mime: 'text/plain' };
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 || dot === name.length - 1 ? '' : name.slice(dot + 1).toLowerCase();
}

/** A PNG whose chunks run, each within the file, to IEND, and nothing after it. */
function pngEndsAtIend(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    const next = at + 12 + length;
    if (next > bytes.length) return false;
    if (type === 'IEND') return next === bytes.length;
    at = next;
  }
  return false;
}

/** A zip local-file or end-of-directory signature anywhere in the bytes. */
function holdsZip(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0x50); i !== -1 && i + 3 < bytes.length; i = bytes.indexOf(0x50, i + 1)) {
    if (
      bytes[i + 1] === 0x4b &&
      ((bytes[i + 2] === 3 && bytes[i + 3] === 4) || (bytes[i + 2] === 5 && bytes[i + 3] === 6))
    ) {
      return true;
    }
  }
  return false;
}

/** The original name kept as text: controls and direction overrides out, no path, at most `max` characters. */
export function cleanFileName(raw: string, max: number): string {
  let name = raw
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[/\\]/g, '_')
    .trim();
  if (name === '' || name === '.' || name === '..') name = 'file';
  const chars = [...name];
  if (chars.length > max) {
    const ext = extensionOf(name);
    const tail = ext && ext.length <= 10 ? `.${ext}` : '';
    name = chars.slice(0, max - [...tail].length).join('') + tail;
  }
  return name;
}
