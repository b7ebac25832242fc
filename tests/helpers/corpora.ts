/**
 * The team's hostile-input corpora live beside the project in ../shared/corpora (never copied in).
 * In a user's own clone they may be absent: those tests then skip with a clear message, except
 * under CI=true, where their absence is a failure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const corporaDir = fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));
export const corporaAvailable = existsSync(corporaDir);

export function requireCorpora(): boolean {
  if (corporaAvailable) return true;
  if (process.env['CI'] === 'true') throw new Error(`CI=true but the corpora folder is missing: ${corporaDir}`);
  console.warn(`Skipping corpus tests: ${corporaDir} not found (it sits beside the project in the team checkout).`);
  return false;
}

export function readBlns(): string[] {
  return JSON.parse(readFileSync(`${corporaDir}blns/blns.json`, 'utf8')) as string[];
}

/** The XSS lists (every `.txt` of the two xss folders), non-empty lines, each with its file. */
export function readXssLines(): { file: string; line: string }[] {
  const out: { file: string; line: string }[] = [];
  for (const folder of ['xss-payloadbox', 'xss-payloadsallthethings']) {
    for (const name of readdirSync(`${corporaDir}${folder}`).sort()) {
      if (!name.endsWith('.txt')) continue;
      for (const line of readFileSync(`${corporaDir}${folder}/${name}`, 'utf8').split('\n')) {
        if (line.length > 0) out.push({ file: `${folder}/${name}`, line });
      }
    }
  }
  return out;
}
