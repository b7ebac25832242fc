/**
 * The team's hostile-input corpora live beside the project in ../shared/corpora (never copied in).
 * In a user's own clone they may be absent: those tests then skip with a clear message, except
 * under CI=true, where their absence is a failure.
 */
import { existsSync, readFileSync } from 'node:fs';
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
