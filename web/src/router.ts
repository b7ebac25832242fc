import { createRouter } from 'sv-router';
import { redirectFor } from './lib/access.js';
import Shell from './lib/components/Shell.svelte';
import { session } from './lib/session.svelte.js';
import Home from './pages/Home.svelte';
import NotFound from './pages/NotFound.svelte';
import SignIn from './pages/SignIn.svelte';

export const { p, navigate, isActive, route } = createRouter({
  layout: Shell,
  hooks: {
    // Every navigation passes here: a screen the account may not open sends it where it belongs.
    // An unvetted account (or staff without a second factor) reads its session again first, in
    // case it was approved (or enrolled) meanwhile.
    async beforeLoad({ pathname }) {
      let target = redirectFor(session.user, pathname);
      if (target && session.user && session.user.access !== 'member') {
        await session.refresh().catch(() => undefined);
        target = redirectFor(session.user, pathname);
      }
      if (target) throw await navigate(target.path as '/', { replace: true, search: target.search ?? '' });
    },
  },
  // The pages a first visit opens ride in the main bundle; every other page is loaded on first use,
  // so the first paint does not wait for screens most visits never open (staff pages above all).
  '/': Home,
  '/sign-in': SignIn,
  '/register': () => import('./pages/Register.svelte'),
  // The pages email links open (their secret rides in the URL's fragment).
  '/verify-email': () => import('./pages/email/VerifyEmail.svelte'),
  '/forgot-password': () => import('./pages/email/ForgotPassword.svelte'),
  '/reset-password': () => import('./pages/email/ResetPassword.svelte'),
  '/unsubscribe': () => import('./pages/email/Unsubscribe.svelte'),
  '/account': () => import('./pages/account/Account.svelte'),
  '/account/security': () => import('./pages/account/Security.svelte'),
  '/account/notifications': () => import('./pages/account/NotificationSettings.svelte'),
  '/account/submissions': () => import('./pages/account/Submissions.svelte'),
  '/account/messages': () => import('./pages/account/MessagingSettings.svelte'),
  '/apply': () => import('./pages/apply/Apply.svelte'),
  '/notifications': () => import('./pages/notifications/Notifications.svelte'),
  '/bookmarks': () => import('./pages/bookmarks/Bookmarks.svelte'),
  '/messages': () => import('./pages/messages/Inbox.svelte'),
  '/messages/new': () => import('./pages/messages/NewConversation.svelte'),
  '/messages/:id': () => import('./pages/messages/Conversation.svelte'),
  '/members': () => import('./pages/members/Members.svelte'),
  '/members/:id': () => import('./pages/members/MemberProfile.svelte'),
  // Loaded on first use: they bring markdown-it, DOMPurify and the diff library with them.
  '/threads/new': () => import('./pages/threads/NewThread.svelte'),
  '/threads/:id': () => import('./pages/threads/Thread.svelte'),
  '/threads/:id/comparison': () => import('./pages/threads/Comparison.svelte'),
  '/posts/:id/history': () => import('./pages/threads/PostHistory.svelte'),
  '/search': () => import('./pages/search/Search.svelte'),
  '/following': () => import('./pages/following/Following.svelte'),
  '/jurisdictions': () => import('./pages/tags/Jurisdictions.svelte'),
  '/jurisdictions/:code': () => import('./pages/tags/JurisdictionPage.svelte'),
  '/topics': () => import('./pages/tags/Topics.svelte'),
  '/topics/:slug': () => import('./pages/tags/TopicPage.svelte'),
  '/instruments': () => import('./pages/tags/Instruments.svelte'),
  '/instruments/:slug': () => import('./pages/tags/InstrumentPage.svelte'),
  // The item page renders server-cooked posts and revisions; both load on first use like the thread.
  '/moderation': () => import('./pages/moderation/Moderation.svelte'),
  '/moderation/:id': () => import('./pages/moderation/ModerationItem.svelte'),
  // Staff pages, which most members never open.
  '/vetting': () => import('./pages/vetting/Vetting.svelte'),
  '/vetting/:id': () => import('./pages/vetting/Review.svelte'),
  '/audit': () => import('./pages/audit/Audit.svelte'),
  '/admin': () => import('./pages/admin/Admin.svelte'),
  '/admin/users/:id': () => import('./pages/admin/AdminUser.svelte'),
  '/admin/mail': () => import('./pages/admin/AdminMail.svelte'),
  '*': NotFound,
});

/** A `?next=` target is followed only when it is a path on this site (no open redirect). */
export function safeNext(value: unknown, fallback = '/account'): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
    ? value
    : fallback;
}
