/**
 * The emails LexForum sends, and what each needs. The words are in `messages/<locale>.ts`, one
 * file per interface language; `render.ts` puts them together as text and HTML. A parameter whose
 * name ends in `link` is an absolute URL (built by the caller from PUBLIC_ORIGIN); a Date is
 * written in the reader's language, in UTC.
 */
export interface MailParams {
  /** To a new account: confirm the address (link valid 48 hours). */
  verify_email: { name: string; link: string };
  /** To the owner of an address someone tried to register with again. */
  register_existing_account: { name: string; signInLink: string; resetLink: string };
  /** To the new address of a change: confirm it (link valid 24 hours). */
  email_change_confirm: { name: string; newEmail: string; link: string };
  /** To the old address of a change, when it is asked for. */
  email_change_notice: { name: string; newEmail: string; resetLink: string };
  /** The reset link (valid 1 hour), asked for by the member or sent by an administrator. */
  password_reset: { name: string; link: string };
  /** After a reset through the link: every session was ended. */
  password_reset_notice: { name: string; time: Date; resetLink: string };
  /** After the member changed the password on the account page. */
  password_changed_notice: { name: string; time: Date; resetLink: string };
  /** A sign-in from a browser the account had not used (device and approximate network). */
  new_device_sign_in: { name: string; device: string; network: string; time: Date; link: string };
  /** An administrator removed the account's second factors. */
  second_factor_reset_notice: { name: string; time: Date; link: string };
  /** Made moderator or administrator: a second factor is now required (link to /account/security). */
  staff_second_factor_required: { name: string; role: 'moderator' | 'admin'; link: string };
}

export type MailTemplate = keyof MailParams;

export const MAIL_TEMPLATES = [
  'verify_email',
  'register_existing_account',
  'email_change_confirm',
  'email_change_notice',
  'password_reset',
  'password_reset_notice',
  'password_changed_notice',
  'new_device_sign_in',
  'second_factor_reset_notice',
  'staff_second_factor_required',
] as const satisfies readonly MailTemplate[];

/** The link the button of each template opens (others may appear in the text). */
export const ACTION_LINK: { [T in MailTemplate]: keyof MailParams[T] & string } = {
  verify_email: 'link',
  register_existing_account: 'signInLink',
  email_change_confirm: 'link',
  email_change_notice: 'resetLink',
  password_reset: 'link',
  password_reset_notice: 'resetLink',
  password_changed_notice: 'resetLink',
  new_device_sign_in: 'link',
  second_factor_reset_notice: 'link',
  staff_second_factor_required: 'link',
};

/** One email's words; `{name}`-style placeholders are filled from its parameters. */
export interface MailText {
  subject: string;
  /** Paragraphs before the button. */
  body: string[];
  /** The button's label. */
  action: string;
  /** Paragraphs after the button. */
  after: string[];
}

/** Everything one language says in email. */
export interface MailLanguage {
  dir: 'ltr' | 'rtl';
  /** `Dear {name},` */
  greeting: string;
  /** Shown under the button: the address to copy when a button does not work. */
  linkFallback: string;
  signOff: string;
  /** Why the member received it, at the foot of every message. */
  footer: string;
  roles: { moderator: string; admin: string };
  templates: { [T in MailTemplate]: MailText };
}
