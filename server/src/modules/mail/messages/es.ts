import type { MailLanguage } from '../templates.js';

export const es: MailLanguage = {
  dir: 'ltr',
  greeting: 'Estimado/a {name}:',
  linkFallback: 'Si el botón no funciona, copie esta dirección en su navegador:',
  signOff: 'LexForum',
  footer: 'Recibe este mensaje porque esta dirección está asociada a una cuenta de LexForum.',
  roles: { moderator: 'moderador', admin: 'administrador' },
  templates: {
    verify_email: {
      subject: 'Confirme su dirección de correo electrónico',
      body: [
        'Le agradecemos que haya solicitado acceso a LexForum. Confirme que esta dirección es suya abriendo el enlace que figura a continuación. El enlace es válido durante 48 horas y solo puede utilizarse una vez.',
      ],
      action: 'Confirmar mi dirección',
      after: ['Si usted no ha creado una cuenta en LexForum, puede hacer caso omiso de este mensaje.'],
    },
    register_existing_account: {
      subject: 'Intento de registro con su dirección',
      body: [
        'Alguien ha intentado crear una nueva cuenta en LexForum con esta dirección de correo electrónico. Esta dirección ya tiene una cuenta, por lo que no se ha creado ninguna cuenta nueva.',
        'Si fue usted, basta con que inicie sesión. Si ha olvidado su contraseña, puede elegir una nueva: {resetLink}',
      ],
      action: 'Iniciar sesión',
      after: ['Si no fue usted, no es necesario hacer nada: su cuenta no ha sido modificada.'],
    },
    email_change_confirm: {
      subject: 'Confirme su nueva dirección de correo electrónico',
      body: [
        'Se ha solicitado cambiar la dirección de correo electrónico de su cuenta de LexForum por {newEmail}. Confírmelo abriendo el enlace que figura a continuación. El enlace es válido durante 24 horas y solo puede utilizarse una vez.',
      ],
      action: 'Confirmar la nueva dirección',
      after: [
        'Si usted no ha solicitado este cambio, puede hacer caso omiso de este mensaje: su dirección no cambiará.',
      ],
    },
    email_change_notice: {
      subject: 'Se ha solicitado cambiar su dirección de correo electrónico',
      body: [
        'Se ha solicitado cambiar la dirección de correo electrónico de su cuenta de LexForum por {newEmail}. El cambio solo surtirá efecto una vez confirmada la nueva dirección.',
      ],
      action: 'Proteger mi cuenta',
      after: [
        'Si usted no ha solicitado este cambio, elija de inmediato una nueva contraseña con el botón anterior e informe a los administradores del foro.',
      ],
    },
    password_reset: {
      subject: 'Elija una nueva contraseña',
      body: [
        'Se ha solicitado una nueva contraseña para su cuenta de LexForum. Abra el enlace que figura a continuación para elegirla. El enlace es válido durante una hora y solo puede utilizarse una vez.',
      ],
      action: 'Elegir una nueva contraseña',
      after: ['Si usted no la ha solicitado, puede hacer caso omiso de este mensaje: su contraseña no ha cambiado.'],
    },
    password_reset_notice: {
      subject: 'Se ha restablecido su contraseña',
      body: [
        'La contraseña de su cuenta de LexForum se restableció el {time} mediante un enlace enviado a esta dirección. Se han cerrado todas las sesiones de la cuenta.',
      ],
      action: 'Elegir otra contraseña',
      after: ['Si no fue usted, elija de inmediato una nueva contraseña e informe a los administradores del foro.'],
    },
    password_changed_notice: {
      subject: 'Se ha cambiado su contraseña',
      body: ['La contraseña de su cuenta de LexForum se cambió el {time}. Se han cerrado sus demás sesiones.'],
      action: 'Restablecer mi contraseña',
      after: ['Si no fue usted, restablezca de inmediato su contraseña e informe a los administradores del foro.'],
    },
    new_device_sign_in: {
      subject: 'Nuevo inicio de sesión en su cuenta',
      body: [
        'Se ha iniciado sesión en su cuenta de LexForum desde un dispositivo que no se había utilizado antes.',
        'Dispositivo: {device}\nRed aproximada: {network}\nFecha: {time}',
      ],
      action: 'Revisar la actividad de seguridad',
      after: [
        'Si fue usted, no es necesario hacer nada. En caso contrario, cambie su contraseña y cierre las sesiones que no reconozca.',
      ],
    },
    second_factor_reset_notice: {
      subject: 'Se han eliminado sus segundos factores',
      body: [
        'El {time}, un administrador del foro eliminó los segundos factores (aplicación de autenticación, llaves de acceso y códigos de recuperación) de su cuenta de LexForum, a petición suya o tras su pérdida.',
        'Le rogamos que configure de nuevo un segundo factor lo antes posible.',
      ],
      action: 'Configurar un segundo factor',
      after: ['Si usted no lo ha solicitado, informe de inmediato a los administradores del foro.'],
    },
    staff_second_factor_required: {
      subject: 'Configure un segundo factor',
      body: [
        'Ahora es usted {role} de LexForum. Las cuentas del equipo de moderación deben estar protegidas, además de por la contraseña, por un segundo factor (una aplicación de autenticación o una llave de acceso).',
        'Mientras no haya configurado uno, solo podrá abrir la página de su cuenta y la página de seguridad.',
      ],
      action: 'Configurar un segundo factor',
      after: [],
    },
  },
};
