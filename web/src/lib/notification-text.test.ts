import {
  MODERATION_NOTICE_ACTIONS,
  NOTIFICATION_KINDS,
  REPORT_OUTCOMES,
  ROLES,
  SUBMISSION_KINDS,
  THREAD_KINDS,
  type Notification,
  type NotificationKind,
  type NotificationParams,
} from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { notificationDetail, notificationParts, notificationText } from './notification-text.js';

const names = { jurisdiction: (code: string) => `Jurisdiction ${code}`, topic: (slug: string) => `Topic ${slug}` };

const note = (kind: NotificationKind, params: NotificationParams = {}, more: Partial<Notification> = {}) =>
  ({
    id: 1,
    kind,
    subject: 'قضية الاتجار بالعاج',
    params,
    legacyTitle: null,
    body: null,
    link: null,
    actor: { id: 'u1', displayName: 'Amina Diallo' },
    threadId: null,
    readAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...more,
  }) satisfies Notification;

/** Every kind with every value of the params it is worded with. */
function everyCase(): { kind: NotificationKind; params: NotificationParams }[] {
  const cases: { kind: NotificationKind; params: NotificationParams }[] = [];
  for (const kind of NOTIFICATION_KINDS) {
    switch (kind) {
      case 'application_submitted':
        cases.push({ kind, params: { jurisdiction: 'KE' } }, { kind, params: { answered: true } });
        break;
      case 'role_changed':
        for (const role of ROLES) cases.push({ kind, params: { role } });
        break;
      case 'thread_in_followed_jurisdiction':
        for (const threadKind of THREAD_KINDS) cases.push({ kind, params: { threadKind, jurisdiction: 'NG' } });
        break;
      case 'thread_in_followed_topic':
        for (const threadKind of THREAD_KINDS) cases.push({ kind, params: { threadKind, topic: 'wildlife' } });
        break;
      case 'report_resolved':
        for (const outcome of REPORT_OUTCOMES) cases.push({ kind, params: { outcome } });
        break;
      case 'content_moderated':
        for (const action of MODERATION_NOTICE_ACTIONS) {
          if (action === 'approve' || action === 'reject') {
            for (const submission of SUBMISSION_KINDS) cases.push({ kind, params: { action, submission } });
          } else if (action === 'review') {
            cases.push(
              { kind, params: { action, underReview: true } },
              { kind, params: { action, underReview: false } },
            );
          } else cases.push({ kind, params: { action } });
        }
        break;
      case 'moderation_warning':
        cases.push({ kind, params: { action: 'warn' } });
        break;
      default:
        cases.push({ kind, params: {} });
    }
  }
  return cases;
}

describe('notification wording', () => {
  it('words every kind × param value, each differently, with no placeholder left', () => {
    const seen = new Map<string, string>();
    for (const { kind, params } of everyCase()) {
      const label = `${kind} ${JSON.stringify(params)}`;
      const text = notificationText(note(kind, params), names);
      expect(text, label).not.toMatch(/[{}\uE000\uE001]|undefined/);
      expect(text.length, label).toBeGreaterThan(10);
      // A param value that fell back to another wording would repeat a sentence already seen
      // (moderation_warning is worded as the warn action on purpose).
      const key = kind === 'moderation_warning' ? `${text} (warning)` : text;
      expect(seen.get(key), `${label} is worded like ${seen.get(key)}`).toBeUndefined();
      seen.set(key, label);
    }
  });

  it('isolates names and titles, and never treats them as interface text', () => {
    const parts = notificationParts(note('reply_to_post'), names);
    expect(parts).toEqual([
      { text: 'Amina Diallo', isolate: true },
      { text: ' replied to your post in ', isolate: false },
      { text: 'قضية الاتجار بالعاج', isolate: true },
    ]);
    expect(notificationText(note('mention'), names)).toBe(
      '\u2068Amina Diallo\u2069 mentioned you in \u2068قضية الاتجار بالعاج\u2069',
    );
    // Braces or marks inside user content are kept as written.
    const odd = note('mention', {}, { subject: '{actor} \uE000s\uE001', actor: { id: 'x', displayName: '{subject}' } });
    expect(
      notificationParts(odd, names)
        .filter((p) => p.isolate)
        .map((p) => p.text),
    ).toEqual(['{subject}', '{actor} \uE000s\uE001']);
  });

  it('names the followed jurisdiction or topic from the reference lists', () => {
    expect(
      notificationText(note('thread_in_followed_jurisdiction', { threadKind: 'question', jurisdiction: 'NG' }), names),
    ).toContain('Jurisdiction NG');
    expect(
      notificationText(note('thread_in_followed_topic', { threadKind: 'case_note', topic: 'wildlife' }), names),
    ).toContain('Topic wildlife');
  });

  it('shows the old English sentence of a notification made before they were data', () => {
    const legacy = note('reply_to_post', {}, { subject: null, legacyTitle: 'Amina replied to your post in “Ivory”' });
    expect(notificationParts(legacy, names)).toEqual([
      { text: 'Amina replied to your post in “Ivory”', isolate: true },
    ]);
  });

  it('words a notification whose actor is gone', () => {
    expect(notificationText(note('mention', {}, { actor: null }), names)).not.toContain('Amina');
  });

  it('adds the welcome line under an approval only', () => {
    expect(notificationDetail(note('application_approved'))).toBeTruthy();
    expect(notificationDetail(note('application_rejected'))).toBeNull();
  });
});
