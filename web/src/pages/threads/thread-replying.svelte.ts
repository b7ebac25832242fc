/**
 * Replying and editing on the thread page: the one open reply composer (under the post replied
 * to, or at the end for the thread) with its draft saved as the member types, quoting, what
 * happens once a reply is posted or held for review, and closing a post's editor. Works on the
 * page's state (thread-page.svelte.ts).
 */
import { quoteLink, type PendingSubmission, type Post } from '@lexforum/shared';
import { tick } from 'svelte';
import { api } from '../../lib/api.js';
import { Autosave } from '../../lib/drafts.svelte.js';
import { m } from '../../lib/i18n.js';
import { handleError, notices } from '../../lib/notices.svelte.js';
import { postAnchor, quoteMarkdown } from '../../lib/threads.js';
import type { ThreadPage } from './thread-page.svelte.js';

export class ThreadReplying {
  /** The one open reply composer: under the post replied to, or at the end for the thread. */
  composer = $state<{ parentId: string | null; body: string } | null>(null);
  composerTextarea = $state<HTMLTextAreaElement | undefined>();
  readonly draft = new Autosave<{ parentId: string | null; body: string }>((draft, token) =>
    api.put(`/api/drafts/reply/${encodeURIComponent(this.page.id)}?token=${token}`, draft),
  );
  readonly parentPost = $derived.by(() =>
    this.composer?.parentId ? (this.page.byId.get(this.composer.parentId) ?? null) : null,
  );

  constructor(private readonly page: ThreadPage) {}

  async openComposer(post: Post | null, append = ''): Promise<void> {
    const parentId = post && post.number !== 1 ? post.id : null;
    this.composer = { parentId, body: (this.composer?.body ?? '') + append };
    if (append) this.draft.schedule({ ...this.composer });
    await tick();
    const textarea = this.composerTextarea;
    textarea?.focus();
    textarea?.scrollIntoView({ block: 'center' });
    if (textarea) textarea.selectionStart = textarea.value.length;
  }

  quote(post: Post, cooked: HTMLElement | undefined): void {
    const selection = window.getSelection();
    const inside =
      selection && !selection.isCollapsed && cooked && selection.anchorNode && cooked.contains(selection.anchorNode);
    const text = (inside ? selection.toString() : (cooked?.innerText ?? '')).trim();
    if (!text) return;
    const block = quoteMarkdown(quoteLink(post.id, post.version), post.author.displayName, text, m.post_wrote());
    const current = this.composer?.body ?? '';
    void this.openComposer(post, (current && !current.endsWith('\n\n') ? '\n\n' : '') + block);
  }

  /** The composer's text changed: saved as a draft a moment later. */
  changed(): void {
    if (this.composer) this.draft.schedule({ ...this.composer });
  }

  /** The composer closes, its draft kept. */
  close(): void {
    void this.draft.flush();
    this.composer = null;
  }

  posted(post: Post): void {
    const page = this.page;
    this.draft.spent();
    this.composer = null;
    page.live.unseen.delete(post.id);
    // The push for this reply may have come first: then it is in place and counted already.
    if (page.addPost(post) && page.thread && page.thread.postCount < post.number) {
      page.thread = { ...page.thread, replyCount: page.thread.replyCount + 1, postCount: post.number };
    }
    notices.show('success', m.reply_posted());
    void tick().then(() => {
      page.highlighted = post.number;
      const element = document.getElementById(postAnchor(post.number));
      element?.scrollIntoView({ block: 'center' });
      // Focus follows to the new post: the composer it came from is gone.
      element?.setAttribute('tabindex', '-1');
      element?.focus({ preventScroll: true });
    });
  }

  async pendingReply(pending: PendingSubmission): Promise<void> {
    this.draft.spent();
    this.composer = null;
    void api.del(`/api/drafts/reply/${encodeURIComponent(this.page.id)}`).catch(() => undefined);
    this.page.pendingSubmissions = [...this.page.pendingSubmissions.filter((p) => p.id !== pending.id), pending];
    notices.show('success', m.pending_reply_sent(), 10_000);
    await tick();
    const element = document.getElementById(`pending-${pending.id}`);
    element?.scrollIntoView({ block: 'center' });
    element?.focus({ preventScroll: true });
  }

  async discardReply(): Promise<void> {
    this.draft.cancel();
    this.composer = null;
    await api.del(`/api/drafts/reply/${encodeURIComponent(this.page.id)}`).catch(handleError);
    notices.show('success', m.draft_discarded());
  }

  /** A held member's edit or thread change went to the moderators: the post stays as it is. */
  pendingEdit(pending: PendingSubmission): void {
    this.page.pendingSubmissions = [...this.page.pendingSubmissions.filter((p) => p.id !== pending.id), pending];
    notices.show('success', pending.kind === 'edit' ? m.held_edit_sent() : m.held_thread_edit_sent(), 10_000);
  }

  saved(post: Post): void {
    this.page.replacePost(post);
    void this.stopEditing(post);
    notices.show('success', m.edit_saved());
  }

  /** The editor closes: focus goes back to the post's Edit button (or Moderate, for a moderator). */
  async stopEditing(post: Post): Promise<void> {
    this.page.editingPost = null;
    await tick();
    document
      .getElementById(postAnchor(post.number))
      ?.querySelector<HTMLElement>('[data-action="edit"], [data-action="moderate"]')
      ?.focus();
  }
}
