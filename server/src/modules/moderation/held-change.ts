/**
 * How a held edit reads: the post or thread as members read it now beside what the author
 * proposes, as plain text for a word diff. `current` is read when the submission is read (never
 * stored), so the queue, the item page and the author's list always compare with the live version.
 * See held-edits.ts for how edits are held and decided.
 */
import { posts, threads, type DbOrTx, type PostRow, type ReviewItemRow, type ThreadRow } from '@lexforum/db';
import {
  ANALYSIS_SECTION_TITLES,
  ANALYSIS_SECTIONS,
  type AnalysisSectionsInput,
  type EditPostBody,
  type HeldChange,
  type HeldChangeSide,
  type UpdateThreadBody,
} from '@lexforum/shared';
import { eq } from 'drizzle-orm';

/** The payload of a held edit in `review_items.submission` (kind 'submission'). */
export type HeldEditData =
  | { type: 'edit'; baseVersion: number; body: EditPostBody }
  | { type: 'thread_edit'; baseVersion: number; body: UpdateThreadBody };

export function isHeldEdit(data: unknown): data is HeldEditData {
  const type = (data as { type?: unknown } | null)?.type;
  return type === 'edit' || type === 'thread_edit';
}

type Tags = Pick<ThreadRow, 'jurisdictions' | 'topics' | 'citations'>;

/** Tags as one list of labels: jurisdiction codes, `#topic` slugs, cited instruments and provisions. */
export function tagLabels(tags: Tags): string[] {
  return [
    ...tags.jurisdictions,
    ...tags.topics.map((slug) => `#${slug}`),
    ...tags.citations.map((c) => (c.provision ? `${c.instrument} ${c.provision}` : c.instrument)),
  ];
}

/** A post's text for a diff: its body, or a legal analysis's sections under their titles. */
export function textOf(
  body: string | null,
  sections: AnalysisSectionsInput | Record<string, string> | null | undefined,
): string {
  if (sections)
    return ANALYSIS_SECTIONS.map((key) => `${ANALYSIS_SECTION_TITLES[key]}\n${sections[key] ?? ''}`).join('\n\n');
  return body ?? '';
}

const noSide: HeldChangeSide = { title: null, language: null, text: null, tags: null, lawAsOf: null };

export function threadSide(thread: Tags & Pick<ThreadRow, 'title' | 'lawAsOf' | 'language'>): HeldChangeSide {
  return {
    title: thread.title,
    language: thread.language,
    text: null,
    tags: tagLabels(thread),
    lawAsOf: thread.lawAsOf,
  };
}

/** The thread as a change would leave it (fields the change leaves out stay as they are). */
export function proposedThread(
  thread: ThreadRow,
  body: UpdateThreadBody,
): Tags & Pick<ThreadRow, 'title' | 'lawAsOf' | 'language'> {
  return {
    title: body.title ?? thread.title,
    language: body.language ?? thread.language,
    jurisdictions: body.jurisdictions ?? thread.jurisdictions,
    topics: body.topics ?? thread.topics,
    citations: body.citations ?? thread.citations,
    lawAsOf: body.analysis?.lawAsOf ?? thread.lawAsOf,
  };
}

/** Null for a submission that is not an edit, or whose post is gone. */
export function heldChangeOf(db: DbOrTx, item: ReviewItemRow): HeldChange | null {
  if (!isHeldEdit(item.submission) || !item.postId) return null;
  const data = item.submission;
  const post: PostRow | undefined = db.select().from(posts).where(eq(posts.id, item.postId)).get();
  if (!post) return null;
  const base = { postId: post.id, number: post.number, baseVersion: data.baseVersion };
  if (data.type === 'edit') {
    return {
      ...base,
      current: { ...noSide, text: textOf(post.body, post.sections) },
      proposed: { ...noSide, text: textOf(data.body.body ?? null, data.body.sections) },
    };
  }
  const thread = db.select().from(threads).where(eq(threads.id, post.threadId)).get();
  if (!thread) return null;
  return { ...base, current: threadSide(thread), proposed: threadSide(proposedThread(thread, data.body)) };
}
