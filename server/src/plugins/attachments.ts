/**
 * Attachments as `app.attachments`: the blob store (files by SHA-256 under ATTACHMENT_DIR), the
 * text-extraction pool and the service, with the ATTACHMENT_* limits. Unattached uploads older
 * than a day and unreferenced files are swept every hour and at start. The pool ends with the app.
 */
import fp from 'fastify-plugin';
import { AttachmentService } from '../modules/attachments/attachments.service.js';
import { FileBlobStore } from '../modules/attachments/blob-store.js';
import { ExtractPool } from '../modules/attachments/extract-pool.js';

const SWEEP_EVERY_MS = 3600_000;

declare module 'fastify' {
  interface FastifyInstance {
    attachments: AttachmentService;
  }
}

export default fp(
  async (app) => {
    const config = app.config;
    const pool = new ExtractPool({
      threads: config.ATTACHMENT_THREADS,
      timeoutMs: config.ATTACHMENT_EXTRACT_TIMEOUT_MS,
    });
    const service = new AttachmentService(
      app.db,
      app.clock,
      new FileBlobStore(config.attachmentDir),
      pool,
      {
        maxBytes: config.ATTACHMENT_MAX_BYTES,
        perPost: config.ATTACHMENTS_PER_POST,
        quotaBytes: config.ATTACHMENT_QUOTA_BYTES,
        textMaxChars: config.ATTACHMENT_TEXT_MAX_CHARS,
        pdfMaxPages: config.ATTACHMENT_PDF_MAX_PAGES,
      },
      app.log,
    );
    app.decorate('attachments', service);
    let closed = false;
    const sweep = () => {
      if (closed) return;
      service.sweep().catch((error: unknown) => app.log.error({ err: error }, 'attachment sweep failed'));
    };
    const timer = setInterval(sweep, SWEEP_EVERY_MS);
    timer.unref();
    app.addHook('onReady', async () => sweep());
    app.addHook('onClose', async () => {
      closed = true;
      clearInterval(timer);
      await pool.close();
    });
  },
  { name: 'attachments', fastify: '5.x', dependencies: ['db'] },
);
