import type { MailLanguage } from '../templates.js';

export const fr: MailLanguage = {
  dir: 'ltr',
  greeting: 'Bonjour {name},',
  linkFallback: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :',
  signOff: 'LexForum',
  footer: 'Vous recevez ce message parce que cette adresse est associée à un compte LexForum.',
  roles: { moderator: 'modérateur', admin: 'administrateur' },
  templates: {
    verify_email: {
      subject: 'Confirmez votre adresse électronique',
      body: [
        'Nous vous remercions d’avoir demandé l’accès à LexForum. Veuillez confirmer que cette adresse est bien la vôtre en ouvrant le lien ci-dessous. Ce lien est valable 48 heures et ne peut servir qu’une fois.',
      ],
      action: 'Confirmer mon adresse',
      after: ['Si vous n’avez pas créé de compte LexForum, vous pouvez ignorer ce message.'],
    },
    register_existing_account: {
      subject: 'Tentative d’inscription avec votre adresse',
      body: [
        'Quelqu’un a tenté de créer un nouveau compte LexForum avec cette adresse électronique. Un compte existe déjà pour cette adresse ; aucun nouveau compte n’a donc été créé.',
        'S’il s’agit de vous, il vous suffit de vous connecter. Si vous avez oublié votre mot de passe, vous pouvez en choisir un nouveau : {resetLink}',
      ],
      action: 'Se connecter',
      after: ['S’il ne s’agit pas de vous, aucune action n’est nécessaire : votre compte n’a pas été modifié.'],
    },
    email_change_confirm: {
      subject: 'Confirmez votre nouvelle adresse électronique',
      body: [
        'Le remplacement de l’adresse électronique de votre compte LexForum par {newEmail} a été demandé. Veuillez le confirmer en ouvrant le lien ci-dessous. Ce lien est valable 24 heures et ne peut servir qu’une fois.',
      ],
      action: 'Confirmer la nouvelle adresse',
      after: [
        'Si vous n’êtes pas à l’origine de cette demande, vous pouvez ignorer ce message : votre adresse ne sera pas modifiée.',
      ],
    },
    email_change_notice: {
      subject: 'Demande de modification de votre adresse électronique',
      body: [
        'Le remplacement de l’adresse électronique de votre compte LexForum par {newEmail} a été demandé. La modification ne prendra effet qu’une fois la nouvelle adresse confirmée.',
      ],
      action: 'Sécuriser mon compte',
      after: [
        'Si vous n’êtes pas à l’origine de cette demande, veuillez choisir sans délai un nouveau mot de passe à l’aide du bouton ci-dessus et en informer les administrateurs du forum.',
      ],
    },
    password_reset: {
      subject: 'Choisissez un nouveau mot de passe',
      body: [
        'Un nouveau mot de passe a été demandé pour votre compte LexForum. Ouvrez le lien ci-dessous pour le choisir. Ce lien est valable une heure et ne peut servir qu’une fois.',
      ],
      action: 'Choisir un nouveau mot de passe',
      after: [
        'Si vous n’êtes pas à l’origine de cette demande, vous pouvez ignorer ce message : votre mot de passe n’a pas été modifié.',
      ],
    },
    password_reset_notice: {
      subject: 'Votre mot de passe a été réinitialisé',
      body: [
        'Le mot de passe de votre compte LexForum a été réinitialisé le {time} au moyen d’un lien envoyé à cette adresse. Toutes les sessions du compte ont été fermées.',
      ],
      action: 'Choisir un autre mot de passe',
      after: [
        'Si vous n’êtes pas à l’origine de cette opération, veuillez choisir sans délai un nouveau mot de passe et en informer les administrateurs du forum.',
      ],
    },
    password_changed_notice: {
      subject: 'Votre mot de passe a été modifié',
      body: ['Le mot de passe de votre compte LexForum a été modifié le {time}. Vos autres sessions ont été fermées.'],
      action: 'Réinitialiser mon mot de passe',
      after: [
        'Si vous n’êtes pas à l’origine de cette opération, veuillez réinitialiser sans délai votre mot de passe et en informer les administrateurs du forum.',
      ],
    },
    new_device_sign_in: {
      subject: 'Nouvelle connexion à votre compte',
      body: [
        'Une connexion à votre compte LexForum a eu lieu depuis un appareil qui n’avait encore jamais été utilisé.',
        'Appareil : {device}\nRéseau approximatif : {network}\nDate : {time}',
      ],
      action: 'Consulter l’activité de sécurité',
      after: [
        'S’il s’agit de vous, aucune action n’est nécessaire. Dans le cas contraire, veuillez modifier votre mot de passe et fermer les sessions que vous ne reconnaissez pas.',
      ],
    },
    second_factor_reset_notice: {
      subject: 'Vos seconds facteurs ont été supprimés',
      body: [
        'Le {time}, un administrateur du forum a supprimé les seconds facteurs (application d’authentification, clés d’accès et codes de récupération) de votre compte LexForum, à votre demande ou après leur perte.',
        'Veuillez configurer de nouveau un second facteur dans les meilleurs délais.',
      ],
      action: 'Configurer un second facteur',
      after: ['Si vous n’avez pas fait cette demande, veuillez en informer sans délai les administrateurs du forum.'],
    },
    staff_second_factor_required: {
      subject: 'Configurez un second facteur',
      body: [
        'Vous êtes désormais {role} de LexForum. Les comptes de l’équipe de modération doivent être protégés, en plus du mot de passe, par un second facteur (une application d’authentification ou une clé d’accès).',
        'Tant qu’aucun n’est configuré, seules la page de votre compte et la page de sécurité vous sont accessibles.',
      ],
      action: 'Configurer un second facteur',
      after: [],
    },
  },
};
