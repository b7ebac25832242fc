import type { MailLanguage } from '../templates.js';

export const en: MailLanguage = {
  dir: 'ltr',
  greeting: 'Dear {name},',
  linkFallback: 'If the button does not work, copy this address into your browser:',
  signOff: 'LexForum',
  footer: 'You are receiving this message because this address is linked to a LexForum account.',
  roles: { moderator: 'moderator', admin: 'administrator' },
  templates: {
    verify_email: {
      subject: 'Confirm your email address',
      body: [
        'Thank you for requesting access to LexForum. Please confirm that this address is yours by opening the link below. The link is valid for 48 hours and can be used once.',
      ],
      action: 'Confirm my address',
      after: ['If you did not create a LexForum account, you may disregard this message.'],
    },
    register_existing_account: {
      subject: 'An attempt to register with your address',
      body: [
        'Someone tried to create a new LexForum account with this email address. Your address already has an account, so no new account was created.',
        'If it was you, you can simply sign in. If you have forgotten your password, you can choose a new one: {resetLink}',
      ],
      action: 'Sign in',
      after: ['If it was not you, no action is needed: your account has not been changed.'],
    },
    email_change_confirm: {
      subject: 'Confirm your new email address',
      body: [
        'A change of the email address of your LexForum account to {newEmail} was requested. Please confirm it by opening the link below. The link is valid for 24 hours and can be used once.',
      ],
      action: 'Confirm the new address',
      after: ['If you did not request this change, you may disregard this message: your address will not change.'],
    },
    email_change_notice: {
      subject: 'A change of your email address was requested',
      body: [
        'A change of the email address of your LexForum account to {newEmail} was requested. The change takes effect only once the new address is confirmed.',
      ],
      action: 'Secure my account',
      after: [
        'If you did not request this change, please choose a new password at once with the button above and inform the forum administrators.',
      ],
    },
    password_reset: {
      subject: 'Choose a new password',
      body: [
        'A new password was requested for your LexForum account. Open the link below to choose it. The link is valid for one hour and can be used once.',
      ],
      action: 'Choose a new password',
      after: ['If you did not request it, you may disregard this message: your password has not been changed.'],
    },
    password_reset_notice: {
      subject: 'Your password was reset',
      body: [
        'The password of your LexForum account was reset on {time} through a link sent to this address. Every session of the account was ended.',
      ],
      action: 'Choose another password',
      after: ['If you did not do this, please choose a new password at once and inform the forum administrators.'],
    },
    password_changed_notice: {
      subject: 'Your password was changed',
      body: ['The password of your LexForum account was changed on {time}. Your other sessions were ended.'],
      action: 'Reset my password',
      after: ['If you did not do this, please reset your password at once and inform the forum administrators.'],
    },
    new_device_sign_in: {
      subject: 'New sign-in to your account',
      body: [
        'Your LexForum account was signed in to from a device it had not used before.',
        'Device: {device}\nApproximate network: {network}\nTime: {time}',
      ],
      action: 'Review security activity',
      after: [
        'If it was you, no action is needed. If not, please change your password and end the sessions you do not recognise.',
      ],
    },
    second_factor_reset_notice: {
      subject: 'Your second factors were removed',
      body: [
        'On {time}, a forum administrator removed the second factors (authenticator application, passkeys and recovery codes) of your LexForum account, at your request or after you lost them.',
        'Please set up a second factor again as soon as possible.',
      ],
      action: 'Set up a second factor',
      after: ['If you did not ask for this, please inform the forum administrators at once.'],
    },
    staff_second_factor_required: {
      subject: 'Set up a second factor',
      body: [
        'You are now a {role} of LexForum. Staff accounts must be protected by a second factor (an authenticator application or a passkey) in addition to the password.',
        'Until one is set up, you can open only your account page and the security page.',
      ],
      action: 'Set up a second factor',
      after: [],
    },
  },
};
