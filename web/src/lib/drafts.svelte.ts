/**
 * Saving a composer to the server as the member types: one save at a time, the last change wins,
 * about a second after typing stops. `status` drives the "Saving…" / "Saved" line.
 */
export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'failed';

export class Autosave<T> {
  status = $state<SaveStatus>('idle');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #next: T | undefined;
  #running: Promise<void> | null = null;

  constructor(
    private readonly save: (data: T) => Promise<unknown>,
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
    this.#running = this.save(data).then(
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
}
