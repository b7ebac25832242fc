/**
 * Attachments: upload a file (the request body is the file's bytes, any declared type ignored),
 * remove an upload not yet on a post, read the limits, download. A download is served as a
 * download (images inline), with its original name encoded per RFC 5987/6266, `nosniff`, and a
 * CSP that sandboxes whatever a browser might still try to render.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import {
  AttachmentLimits,
  AttachmentParams,
  INLINE_ATTACHMENT_TYPES,
  UploadEnvelope,
  UploadQuery,
} from '@lexforum/shared';
import Type from 'typebox';
import { errorResponses } from '../../lib/schemas.js';
import { contentDisposition } from './content-disposition.js';

export const attachmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const attachments = app.attachments;
  const tags = ['attachments'];

  // In this plugin only: every body is the file's raw bytes, whatever Content-Type says (the type
  // is sniffed from the content). Larger than ATTACHMENT_MAX_BYTES: 413 before it is read in full.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: attachments.rules.maxBytes }, (_request, body, done) =>
    done(null, body),
  );

  app.get(
    '/attachments/limits',
    {
      schema: {
        tags,
        summary: 'The size, count and quota limits of attachments, and what your uploads take',
        response: { 200: AttachmentLimits, ...errorResponses(401, 403) },
      },
    },
    async (request) => attachments.limits(request.guardian()),
  );

  app.post(
    '/attachments',
    {
      bodyLimit: attachments.rules.maxBytes,
      config: { budget: 'uploads' },
      schema: {
        tags,
        summary: 'Upload a file to attach to a post (the body is the file); it is yours until a post uses it',
        querystring: UploadQuery,
        response: { 201: UploadEnvelope, ...errorResponses(400, 401, 403, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const attachment = await attachments.upload(request.guardian(), request.query.name, body);
      return reply.code(201).send({ attachment });
    },
  );

  app.delete(
    '/attachments/:id',
    {
      schema: {
        tags,
        summary: 'Remove an upload of yours that is not on a post',
        params: AttachmentParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await attachments.remove(request.guardian(), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/attachments/:id',
    {
      schema: {
        tags,
        summary: 'Download an attached file (to readers of its post; an unattached upload to its uploader)',
        params: AttachmentParams,
        response: errorResponses(400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const file = await attachments.download(request.guardian(), request.params.id);
      const inline = INLINE_ATTACHMENT_TYPES.includes(file.mime);
      // The file is a stream, not a JSON answer: past the route's typed (error) schemas.
      return (reply as FastifyReply)
        .type(file.mime === 'text/plain' ? 'text/plain; charset=utf-8' : file.mime)
        .header('content-length', file.size)
        .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', file.name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'same-origin')
        .send(file.stream);
    },
  );
};
