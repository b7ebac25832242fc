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
import nodemailer from 'nodemailer';
import { mailLinks, type MailLinks } from '../modules/mail/links.js';
import { MailSender, type OutgoingMail } from '../modules/mail/mail-sender.js';
import { enqueuedCount } from '../modules/mail/outbox.js';

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
    let send: (mail: OutgoingMail) => Promise<void>;
    let closeTransport: () => void;
    if (config.SMTP_URL) {
      const transport = nodemailer.createTransport({
        url: config.SMTP_URL,
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 60_000,
      });
      send = async (mail) => {
        await transport.sendMail({ from: config.MAIL_FROM, ...mail.message });
      };
      closeTransport = () => transport.close();
    } else {
      const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      send = async (mail) => {
        const info = await transport.sendMail({ from: config.MAIL_FROM, ...mail.message });
        await mkdir(config.mailDir, { recursive: true });
        const stamp = mail.createdAt.toISOString().replace(/[:.]/g, '-');
        const file = join(config.mailDir, `${stamp}-${mail.id}-${mail.template}.eml`);
        await writeFile(file, info.message as Buffer, { mode: 0o600 });
        // The one place a link's secret is logged, and only without SMTP (never in production).
        const link = mail.message.text.match(/https?:\/\/\S+/)?.[0] ?? '(no link)';
        app.log.info(`mail written to ${file} for ${mail.message.to} (${mail.template}); link: ${link}`);
      };
      closeTransport = () => transport.close();
    }

    const sender = new MailSender({ db: app.db, clock: app.clock, send, closeTransport, log: app.log });
    app.decorate('mail', sender);
    app.decorate('mailLinks', mailLinks(config.publicOrigin));

    let seen = enqueuedCount();
    app.addHook('onResponse', async () => {
      const count = enqueuedCount();
      if (count === seen) return;
      seen = count;
      void sender.deliver();
    });
    const timer = setInterval(() => void sender.deliver(), RETRY_POLL_MS);
    timer.unref();
    app.addHook('onReady', async () => void sender.deliver());
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await sender.close();
    });
  },
  { name: 'mail', fastify: '5.x', dependencies: ['db'] },
);
