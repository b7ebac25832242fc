/**
 * Mail as `app.mail`: the outbox sender (modules/mail/mail-sender.ts) over the configured
 * transport. With SMTP_URL, nodemailer's SMTP transport; without it (never in production: the
 * config refuses), each message is written to MAIL_DIR as an `.eml` file and its link is logged
 * on one line, so a developer can follow it. Mail is enqueued in the transaction of the action
 * (`enqueueMail`); after any response that enqueued some, a delivery run starts at once; a timer
 * picks up the retries. The transport closes with the app.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { Transporter } from 'nodemailer';
import { mailLinks, type MailLinks } from '../modules/mail/links.js';
import { MailSender, type OutgoingMail } from '../modules/mail/mail-sender.js';
import { enqueuedCount } from '../modules/mail/outbox.js';
import { prepareReferenceMail } from '../modules/mail/reference-mail.js';

declare module 'fastify' {
  interface FastifyInstance {
    mail: MailSender;
    /** Absolute links to the pages emails open, on PUBLIC_ORIGIN. */
    mailLinks: MailLinks;
  }
}

/** How often due retries are looked for (a cheap indexed query when there are none). */
const RETRY_POLL_MS = 30_000;

export default fp(
  async (app) => {
    const { config } = app;
    // nodemailer is loaded with the first message, not at start (a third of a second of module
    // loading that most boots never need: mail is rare).
    let transport: Promise<Transporter> | undefined;
    const transportOptions = config.SMTP_URL
      ? { url: config.SMTP_URL, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 }
      : { streamTransport: true, buffer: true, newline: 'unix' as const };
    const getTransport = () =>
      (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
        nodemailer.createTransport(transportOptions),
      ));
    const closeTransport = () => void transport?.then((t) => t.close());
    // Each outbox row has its own Message-ID, the same on every attempt: a message delivered twice
    // (a crash after SMTP accepted it, before the row was marked sent) is recognisably one.
    const messageDomain = /@([^>\s]+)>?\s*$/.exec(config.MAIL_FROM)?.[1] ?? 'lexforum.invalid';
    const envelope = (mail: OutgoingMail) => ({
      from: config.MAIL_FROM,
      ...mail.message,
      messageId: `<${mail.messageId}@${messageDomain}>`,
    });
    let send: (mail: OutgoingMail) => Promise<void>;
    if (config.SMTP_URL) {
      send = async (mail) => {
        await (await getTransport()).sendMail(envelope(mail));
      };
    } else {
      send = async (mail) => {
        const info = await (await getTransport()).sendMail(envelope(mail));
        await mkdir(config.mailDir, { recursive: true });
        const stamp = mail.createdAt.toISOString().replace(/[:.]/g, '-');
        const file = join(config.mailDir, `${stamp}-${mail.id}-${mail.template}.eml`);
        await writeFile(file, info.message as Buffer, { mode: 0o600 });
        // The one place a link's secret is logged, and only without SMTP (never in production).
        const link = mail.message.text.match(/https?:\/\/\S+/)?.[0] ?? '(no link)';
        app.log.info(`mail written to ${file} for ${mail.message.to} (${mail.template}); link: ${link}`);
      };
    }

    const links = mailLinks(config.publicOrigin);
    const sender = new MailSender({
      db: app.db,
      clock: app.clock,
      send,
      closeTransport,
      log: app.log,
      prepare: (row) => prepareReferenceMail(app.db, row, app.clock.now(), links),
    });
    app.decorate('mail', sender);
    app.decorate('mailLinks', links);

    let seen = enqueuedCount();
    app.addHook('onResponse', async () => {
      const count = enqueuedCount();
      if (count === seen) return;
      seen = count;
      sender.deliverInBackground();
    });
    const timer = setInterval(() => sender.deliverInBackground(), RETRY_POLL_MS);
    timer.unref();
    app.addHook('onReady', async () => sender.deliverInBackground());
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await sender.close();
    });
  },
  { name: 'mail', fastify: '5.x', dependencies: ['db'] },
);
