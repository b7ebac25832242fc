/** Short-lived messages shown in the page's live region (success, error). */
import { ApiError } from './api.js';
import { m } from './i18n.js';

export interface Notice {
  id: number;
  kind: 'success' | 'error';
  text: string;
}

class Notices {
  items = $state<Notice[]>([]);
  #next = 1;

  show(kind: Notice['kind'], text: string, timeoutMs = 6000): void {
    const id = this.#next++;
    this.items.push({ id, kind, text });
    if (timeoutMs > 0) setTimeout(() => this.dismiss(id), timeoutMs);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }
}

export const notices = new Notices();

/**
 * What to tell the reader about a failure, in their language (an ApiError's message is worded by
 * its code, see errors.ts); anything else is a bug, logged, with a plain message.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  console.error(error);
  return m.error_unexpected();
}

/**
 * The error funnel for background actions (a mark-read, a follow, a list that loads behind the
 * page): a toast. A failure that belongs to a form or a panel is shown there instead, once, with
 * `errorText`, never also as a toast.
 */
export function handleError(error: unknown): void {
  notices.show('error', errorText(error), 10_000);
}
