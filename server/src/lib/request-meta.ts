import type { FastifyRequest } from 'fastify';
import type { SessionMeta } from '../modules/auth/session.js';

export function requestMeta(request: FastifyRequest): SessionMeta {
  const ua = request.headers['user-agent'];
  return { userAgent: typeof ua === 'string' ? ua : null, ip: request.ip ?? null };
}
