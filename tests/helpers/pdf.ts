/**
 * The text of a PDF, read with `pdftotext` (Debian's poppler-utils; `.ci/run` installs it). Where
 * it is missing the tests that need it skip with a message, except under CI=true, where they fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PDFTOTEXT = process.env['PDFTOTEXT_PATH'] ?? '/usr/bin/pdftotext';

export function pdftotextAvailable(): boolean {
  if (existsSync(PDFTOTEXT)) return true;
  if (process.env['CI'] === 'true') throw new Error(`CI=true but pdftotext is missing at ${PDFTOTEXT}`);
  console.warn(`Skipping PDF checks: no pdftotext at ${PDFTOTEXT} (apt-get install poppler-utils).`);
  return false;
}

/** The PDF's text in reading order, with runs of white space made one space. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'lexforum-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
