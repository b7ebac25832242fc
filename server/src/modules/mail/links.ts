/**
 * The pages email links open, as absolute URLs on PUBLIC_ORIGIN. A link's secret rides in the
 * fragment (`#token=`): browsers never send it to the server with the page request, so it stays
 * out of access logs and Referer headers; the page reads it and posts it to the API.
 */
export interface MailLinks {
  verifyEmail(token: string): string;
  confirmEmailChange(token: string): string;
  resetPassword(token: string): string;
  signIn(): string;
  forgotPassword(): string;
  accountSecurity(): string;
  /** A page of the forum by its path (`/threads/<id>#post-3`, as notifications store it). */
  page(path: string): string;
  /** The notification settings page (email choices, digest). */
  notificationSettings(): string;
  /** The page that shows what a one-click unsubscribe turns off, with the button. */
  unsubscribePage(token: string): string;
  /** The RFC 8058 endpoint, for `List-Unsubscribe`: a POST to it unsubscribes, a GET does not. */
  unsubscribeEndpoint(token: string): string;
}

export function mailLinks(publicOrigin: string): MailLinks {
  const at = (path: string) => `${publicOrigin}${path}`;
  return {
    verifyEmail: (token) => at(`/verify-email#token=${encodeURIComponent(token)}`),
    confirmEmailChange: (token) => at(`/verify-email#change=${encodeURIComponent(token)}`),
    resetPassword: (token) => at(`/reset-password#token=${encodeURIComponent(token)}`),
    signIn: () => at('/sign-in'),
    forgotPassword: () => at('/forgot-password'),
    accountSecurity: () => at('/account/security'),
    page: (path) => at(path.startsWith('/') ? path : `/${path}`),
    notificationSettings: () => at('/account/notifications'),
    unsubscribePage: (token) => at(`/unsubscribe#token=${encodeURIComponent(token)}`),
    unsubscribeEndpoint: (token) => at(`/api/email/unsubscribe?token=${encodeURIComponent(token)}`),
  };
}
