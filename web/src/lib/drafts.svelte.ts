/**
 * Saving a composer to the server as the member types: one save at a time, the last change wins,
 * about a second after typing stops. `status` drives the "Saving…" / "Saved" line.
 *
 * Each composer instance has a `token`, sent with every save and with the post it becomes: a save
 * still on its way when the post is created is discarded by the server, so posted text never comes
 * back as a draft. After posting, `spent()` starts a new composer instance (a new token).
 */
export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'failed';

export class Autosave<T> {
  status = $state<SaveStatus>('idle');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #next: T | undefined;
  #running: Promise<void> | null = null;
  token = newDraftToken();

  constructor(
    private readonly save: (data: T, token: string) => Promise<unknown>,
    private readonly delayMs = 1000,
  ) {}

  /** Saves `data` after the delay, replacing any save still waiting. */
  schedule(data: T): void {
    this.#next = data;
    this.status = 'pending';
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves what is waiting now (before leaving the page). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    if (this.#running) await this.#running;
    if (this.#next === undefined) return;
    const data = this.#next;
    this.#next = undefined;
    this.status = 'saving';
    this.#running = this.save(data, this.token).then(
      () => {
        if (this.#next === undefined) this.status = 'saved';
      },
      () => {
        this.status = 'failed';
      },
    );
    await this.#running;
    this.#running = null;
  }

  /** Forgets what is waiting (the draft was posted or discarded). */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#next = undefined;
    this.status = 'idle';
  }

  /** The text was posted (with `token`): forget what is waiting, and write the next text under a new token. */
  spent(): void {
    this.cancel();
    this.token = newDraftToken();
  }
}

/** 22 random base64url characters (the server accepts 8 to 64 of `[A-Za-z0-9_-]`). */
function newDraftToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
