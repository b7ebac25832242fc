/**
 * Text extraction for search, run in the extraction pool's workers (extract-pool.ts): the text of
 * a PDF (pdf.js through `unpdf`, page by page, up to a page and character limit) or of a text
 * file. A PDF without a text layer (a scan) gives no text: it is attached, not searchable.
 */
import { getDocumentProxy } from 'unpdf';

export interface ExtractJob {
  mime: string;
  bytes: Uint8Array;
  maxChars: number;
  maxPages: number;
  /** Milliseconds the worker gives the job, counted from when it starts (not while it queued). */
  timeMs: number;
}

export interface ExtractResult {
  /** Null when the file has no text. */
  text: string | null;
}

export async function runExtractJob(job: ExtractJob): Promise<ExtractResult> {
  if (job.mime === 'text/plain') {
    return { text: meaningful(new TextDecoder().decode(job.bytes).slice(0, job.maxChars)) };
  }
  if (job.mime !== 'application/pdf') return { text: null };
  const deadline = Date.now() + job.timeMs;
  const pdf = await getDocumentProxy(new Uint8Array(job.bytes), { stopAtErrors: false });
  try {
    const parts: string[] = [];
    let chars = 0;
    // Page by page until a limit: pages, characters, or the job's own time (the text so far is kept).
    for (
      let number = 1;
      number <= Math.min(pdf.numPages, job.maxPages) && chars < job.maxChars && Date.now() < deadline;
      number++
    ) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if ('str' in item && item.str) {
          parts.push(item.str);
          chars += item.str.length + 1;
        }
      }
      parts.push('\n');
      page.cleanup();
    }
    return { text: meaningful(parts.join(' ').slice(0, job.maxChars)) };
  } finally {
    await pdf.cleanup();
  }
}

/** Text with at least one letter or digit; otherwise none. */
function meaningful(text: string): string | null {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  return /[\p{L}\p{N}]/u.test(trimmed) ? trimmed : null;
}
