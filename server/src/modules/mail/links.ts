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
  };
}
