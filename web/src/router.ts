import { createRouter } from 'sv-router';
import { redirectFor } from './lib/access.js';
import Shell from './lib/components/Shell.svelte';
import { session } from './lib/session.svelte.js';
import Account from './pages/account/Account.svelte';
import Admin from './pages/admin/Admin.svelte';
import AdminUser from './pages/admin/AdminUser.svelte';
import Apply from './pages/apply/Apply.svelte';
import Audit from './pages/audit/Audit.svelte';
import Following from './pages/following/Following.svelte';
import Home from './pages/Home.svelte';
import MemberProfile from './pages/members/MemberProfile.svelte';
import Members from './pages/members/Members.svelte';
import NotFound from './pages/NotFound.svelte';
import Notifications from './pages/notifications/Notifications.svelte';
import Register from './pages/Register.svelte';
import SignIn from './pages/SignIn.svelte';
import InstrumentPage from './pages/tags/InstrumentPage.svelte';
import Instruments from './pages/tags/Instruments.svelte';
import JurisdictionPage from './pages/tags/JurisdictionPage.svelte';
import Jurisdictions from './pages/tags/Jurisdictions.svelte';
import TopicPage from './pages/tags/TopicPage.svelte';
import Topics from './pages/tags/Topics.svelte';
import Review from './pages/vetting/Review.svelte';
import Vetting from './pages/vetting/Vetting.svelte';

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
  '/': Home,
  '/sign-in': SignIn,
  '/register': Register,
  // The pages email links open (their secret rides in the URL's fragment).
  '/verify-email': () => import('./pages/email/VerifyEmail.svelte'),
  '/forgot-password': () => import('./pages/email/ForgotPassword.svelte'),
  '/reset-password': () => import('./pages/email/ResetPassword.svelte'),
  '/account': Account,
  '/account/security': () => import('./pages/account/Security.svelte'),
  '/account/notifications': () => import('./pages/account/NotificationSettings.svelte'),
  '/account/submissions': () => import('./pages/account/Submissions.svelte'),
  '/apply': Apply,
  '/notifications': Notifications,
  '/members': Members,
  '/members/:id': MemberProfile,
  // Loaded on first use: they bring markdown-it, DOMPurify and the diff library with them.
  '/threads/new': () => import('./pages/threads/NewThread.svelte'),
  '/threads/:id': () => import('./pages/threads/Thread.svelte'),
  '/posts/:id/history': () => import('./pages/threads/PostHistory.svelte'),
  '/search': () => import('./pages/search/Search.svelte'),
  '/following': Following,
  '/jurisdictions': Jurisdictions,
  '/jurisdictions/:code': JurisdictionPage,
  '/topics': Topics,
  '/topics/:slug': TopicPage,
  '/instruments': Instruments,
  '/instruments/:slug': InstrumentPage,
  // The item page renders server-cooked posts and revisions; both load on first use like the thread.
  '/moderation': () => import('./pages/moderation/Moderation.svelte'),
  '/moderation/:id': () => import('./pages/moderation/ModerationItem.svelte'),
  '/vetting': Vetting,
  '/vetting/:id': Review,
  '/audit': Audit,
  '/admin': Admin,
  '/admin/users/:id': AdminUser,
  '*': NotFound,
});

/** A `?next=` target is followed only when it is a path on this site (no open redirect). */
export function safeNext(value: unknown, fallback = '/account'): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
    ? value
    : fallback;
}
