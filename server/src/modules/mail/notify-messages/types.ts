import type { DigestFrequency, NotificationKind } from '@lexforum/shared';

/**
 * Words that depend on a number: one form per plural category the language uses (Intl.PluralRules:
 * English, French and Spanish `one`/`other`; Arabic `zero`, `one`, `two`, `few`, `many`, `other`).
 */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

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
  /** `{count}` new posts in a thread, in the most-active list (by the language's plural rules). */
  newPosts: Plural;
  /** After the digest's notifications when more were pending than it lists: `{count}` more. */
  moreNotifications: Plural;
  /** In the follow list: a thread's kind. */
  threadKinds: { question: string; legal_analysis: string };
  /** `{what}` is the kind's words. */
  unsubscribeKind: string;
  unsubscribeDigest: string;
  settings: string;
  footer: string;
}
