/**
 * The in-place re-authentication prompt. A sensitive request answered 403 REAUTH_REQUIRED (the
 * session's confirmation is older than the server's window) waits here while ReauthDialog (mounted
 * once in Shell) asks for the password or a second factor; confirmed, the API client retries the
 * request as it was, so the page never knows; cancelled, the request fails with its original error.
 * Requests that hit the wall together share one dialog and are all released by one confirmation.
 */
import type { ReauthRequiredDetails } from '@lexforum/shared';

export type ReauthMethod = ReauthRequiredDetails['methods'][number];

interface Waiting {
  resolve: () => void;
  reject: () => void;
}

class ReauthPrompt {
  /** Whether the dialog is asking now. */
  open = $state(false);
  /** The ways this account can confirm (from the server's answer), password first. */
  methods = $state<ReauthMethod[]>(['password']);
  #waiting: Waiting[] = [];

  /** Resolves once the member has confirmed; rejects with `error` when they cancel. */
  request(methods: ReauthMethod[], error: Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject: () => reject(error) });
      if (!this.open) this.methods = methods.length > 0 ? methods : ['password'];
      this.open = true;
    });
  }

  /** The server accepted the confirmation: every waiting request goes again. */
  confirmed(): void {
    this.#release((w) => w.resolve());
  }

  /** The member closed the dialog: every waiting request fails as it was refused. */
  cancelled(): void {
    this.#release((w) => w.reject());
  }

  #release(each: (w: Waiting) => void): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    this.open = false;
    waiting.forEach(each);
  }
}

export const reauthPrompt = new ReauthPrompt();
