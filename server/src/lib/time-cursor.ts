/**
 * Cursors of lists read newest first by time then id (`<ms>.<id>`, shared's `TimeCursor`): the
 * last row of a page gives the next page's cursor, and the query continues strictly after it.
 */
import { fieldError } from './errors.js';

export interface TimeCursor {
  at: number;
  id: string;
}

export function formatTimeCursor(at: number, id: string): string {
  return `${at}.${id}`;
}

/** The cursor, or 400 (its path `/cursor`) for one no list gave. */
export function parseTimeCursor(cursor: string): TimeCursor {
  const dot = cursor.indexOf('.');
  const at = Number(cursor.slice(0, dot));
  if (dot < 1 || !Number.isSafeInteger(at)) throw fieldError('/cursor', 'This cursor is not one this list gave.');
  return { at, id: cursor.slice(dot + 1) };
}
