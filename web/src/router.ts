import { createRouter } from 'sv-router';
import Shell from './lib/components/Shell.svelte';
import Account from './pages/account/Account.svelte';
import Home from './pages/Home.svelte';
import NotFound from './pages/NotFound.svelte';
import Register from './pages/Register.svelte';
import SignIn from './pages/SignIn.svelte';

export const { p, navigate, isActive, route } = createRouter({
  layout: Shell,
  '/': Home,
  '/sign-in': SignIn,
  '/register': Register,
  '/account': Account,
  '*': NotFound,
});

/** A `?next=` target is followed only when it is a path on this site (no open redirect). */
export function safeNext(value: unknown, fallback = '/account'): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\')
    ? value
    : fallback;
}
