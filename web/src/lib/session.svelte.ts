/** Who is signed in, shared by every page. Loaded once at start; updated by sign-in/out. */
import type {
  CurrentUser,
  Locale,
  SecondFactorChallenge,
  SecondFactorCodeBody,
  SessionState,
  SignInBody,
  SignInResult,
  RegisterAccepted,
  RegisterBody,
  UpdateLocaleBody,
  UserEnvelope,
} from '@lexforum/shared';
import { api } from './api.js';
import { followAccountLocale } from './i18n.js';

class Session {
  /**
   * A second step begun elsewhere (a password reset on an account with a second factor), for the
   * sign-in page to open at; taken once.
   */
  pendingChallenge = $state<SecondFactorChallenge | null>(null);

  takePendingChallenge(): SecondFactorChallenge | null {
    const challenge = this.pendingChallenge;
    this.pendingChallenge = null;
    return challenge && new Date(challenge.expiresAt).getTime() > Date.now() ? challenge : null;
  }

  user = $state<CurrentUser | null>(null);
  loaded = $state(false);

  /** Vetted and active: the forum is open to this account. */
  readonly isMember = $derived(this.user?.access === 'member');
  readonly isStaff = $derived(this.isMember && (this.user?.role === 'moderator' || this.user?.role === 'admin'));
  readonly isAdmin = $derived(this.isMember && this.user?.role === 'admin');

  async load(): Promise<void> {
    try {
      // The account's language wins over this browser's (the server usually said so already, in
      // the page and its cookie): the page is loaded again in it, the spinner kept meanwhile.
      if (followAccountLocale((await this.refresh())?.locale)) {
        globalThis.location.reload();
        return;
      }
    } catch (error) {
      this.loaded = true;
      throw error;
    }
    this.loaded = true;
  }

  /** Reads the session again: access changes on the server (an approval, a suspension). */
  async refresh(): Promise<CurrentUser | null> {
    this.user = (await api.get<SessionState>('/api/session')).user;
    return this.user;
  }

  /** The password step: signed in, or a second factor is due (then `completeSignIn`). */
  async signIn(body: SignInBody): Promise<SignInResult> {
    const result = await api.post<SignInResult>('/api/auth/sign-in', body);
    if ('user' in result) this.user = result.user;
    return result;
  }

  /** The second step with a code (TOTP or recovery code). */
  async completeSignIn(body: SecondFactorCodeBody): Promise<CurrentUser> {
    const { user } = await api.post<UserEnvelope>('/api/auth/sign-in/second-factor', body);
    this.user = user;
    return user;
  }

  /** Creates the account; nobody is signed in until the link emailed to the address is opened. */
  async register(body: RegisterBody): Promise<void> {
    await api.post<RegisterAccepted>('/api/auth/register', body);
  }

  /** A sign-in finished elsewhere: an email link (verification, reset) or the passkey second step. */
  adopt(user: CurrentUser): void {
    this.user = user;
  }

  /** Saves the interface language on the account; the caller then shows the page in it. */
  async saveLocale(locale: Locale): Promise<void> {
    const body: UpdateLocaleBody = { locale };
    this.user = (await api.put<UserEnvelope>('/api/account/locale', body)).user;
  }

  async signOut(): Promise<void> {
    await api.post('/api/auth/sign-out');
    this.user = null;
  }

  /** After the server ended this session by other means (e.g. from the sessions list). */
  forget(): void {
    this.user = null;
  }
}

export const session = new Session();
