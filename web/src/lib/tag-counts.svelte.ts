import type { TagCounts } from '@lexforum/shared';
import { api } from './api.js';
import { handleError } from './notices.svelte.js';

/**
 * Thread counts per jurisdiction, topic and instrument for the browse pages, loaded together with
 * the reference data the page lists (`loadReference`), so the page shows both or neither.
 */
export class TagCountsState {
  counts = $state<TagCounts | null>(null);
  failed = $state(false);

  constructor(private readonly loadReference: () => Promise<unknown>) {}

  load = async (): Promise<void> => {
    this.failed = false;
    try {
      const [counts] = await Promise.all([api.get<TagCounts>('/api/threads/tag-counts'), this.loadReference()]);
      this.counts = counts;
    } catch (error) {
      this.failed = true;
      handleError(error);
    }
  };
}
