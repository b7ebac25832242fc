import type { DigestFrequency, NotificationKind } from '@lexforum/shared';

/**
 * What one language says in notification and digest email. `kinds` names every notification kind
 * (a record over NOTIFICATION_KINDS: a new kind is a type error until each language words it).
 */
export interface NotifyLanguage {
  /** One email about one thread: `{title}` is the thread's title. */
  threadSubject: string;
  /** One email about notifications that belong to no thread. */
  otherSubject: string;
  intro: string;
  kinds: Record<NotificationKind, string>;
  /** `{name}` did it (after the kind's words). */
  by: string;
  open: string;
  digestSubject: Record<Exclude<DigestFrequency, 'off'>, string>;
  digestIntro: Record<Exclude<DigestFrequency, 'off'>, string>;
  sections: { notifications: string; followed: string; active: string; awaiting: string };
  /** `{count}` new posts in a thread, in the most-active list. */
  newPosts: string;
  /** In the follow list: a thread's kind. */
  threadKinds: { question: string; legal_analysis: string };
  /** `{what}` is the kind's words. */
  unsubscribeKind: string;
  unsubscribeDigest: string;
  settings: string;
  footer: string;
}
