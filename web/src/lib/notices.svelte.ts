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

/** The one error funnel: shows what the server said, or a plain fallback. */
export function handleError(error: unknown): void {
  const text = error instanceof ApiError ? error.message : m.error_unexpected();
  if (!(error instanceof ApiError)) console.error(error);
  notices.show('error', text, 10_000);
}
