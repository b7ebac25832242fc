/**
 * Which screens an account may open, decided in one place for the router. The server enforces
 * every rule again (forum routes answer 403 NOT_VETTED and the like); this only keeps people away
 * from screens that would show them nothing but that refusal.
 */
import type { CurrentUser } from '@lexforum/shared';

/** Screens open to an account that is not (or no longer) a vetted member. */
const UNVETTED_PATHS = ['/apply', '/account', '/account/security', '/account/notifications', '/notifications'];
/**
 * Staff without a second factor (access `second_factor_required`): their account and the
 * enrolment screen only, until a factor is set up.
 */
const ENROLMENT_PATHS = ['/account', '/account/security'];
export const ENROLMENT_PATH = '/account/security';
/** Screens anyone may open, signed in or not. */
const PUBLIC_PATHS = ['/', '/sign-in', '/register'];
/** Pages that email links open: for whoever holds the link, signed in or not, vetted or not. */
const LINK_PATHS = ['/verify-email', '/forgot-password', '/reset-password', '/unsubscribe'];
const SIGNED_IN_PREFIXES = ['/apply', '/account', '/notifications', '/members'];
/** The forum itself: vetted members only (unvetted accounts are sent to their application). */
const FORUM_PREFIXES = [
  '/threads',
  '/posts',
  '/following',
  '/jurisdictions',
  '/topics',
  '/instruments',
  '/search',
  '/messages',
];
const STAFF_PREFIXES = ['/moderation', '/vetting', '/audit'];
const ADMIN_PREFIXES = ['/admin'];

function under(pathname: string, prefixes: string[]): boolean {
  return prefixes.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/** Where the account lands after signing in, and where "Home" leads. */
export function landingPath(user: CurrentUser | null): string {
  if (user?.access === 'second_factor_required') return ENROLMENT_PATH;
  return user && user.access !== 'member' ? '/apply' : '/';
}

export interface Redirect {
  path: string;
  search?: Record<string, string>;
}

/** Null when `user` may open `pathname`; otherwise where to send them instead. */
export function redirectFor(user: CurrentUser | null, pathname: string): Redirect | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (LINK_PATHS.includes(path)) return null;
  const isPublic = PUBLIC_PATHS.includes(path);
  const needsSignIn = under(path, [...SIGNED_IN_PREFIXES, ...FORUM_PREFIXES, ...STAFF_PREFIXES, ...ADMIN_PREFIXES]);
  if (!user) return needsSignIn ? { path: '/sign-in', search: { next: path } } : null;
  if (user.access === 'second_factor_required') {
    return ENROLMENT_PATHS.includes(path) ? null : { path: ENROLMENT_PATH };
  }
  if (user.access !== 'member') return UNVETTED_PATHS.includes(path) ? null : { path: '/apply' };
  if (isPublic && path !== '/') return { path: '/' };
  const isStaff = user.role === 'moderator' || user.role === 'admin';
  if (under(path, STAFF_PREFIXES) && !isStaff) return { path: '/' };
  if (under(path, ADMIN_PREFIXES) && user.role !== 'admin') return { path: '/' };
  return null;
}
