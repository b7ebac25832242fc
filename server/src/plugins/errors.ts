/**
 * One error policy. Expected errors (AppError, schema validation, body parsing, rate limits)
 * become `{ error: { code, message, details? } }` with their status. Anything else is logged
 * with the request's context and answered with a masked 500 that names the request id.
 */
import type { ErrorCode, FieldIssue } from '@lexforum/shared';
import type { FastifyError, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

type ValidationError = NonNullable<FastifyError['validation']>[number];

function issueOf(error: ValidationError, context: string | undefined): FieldIssue {
  const params = error.params as Record<string, unknown>;
  const extra =
    typeof params['additionalProperty'] === 'string'
      ? `/${params['additionalProperty']}`
      : typeof params['missingProperty'] === 'string'
        ? `/${params['missingProperty']}`
        : '';
  const path = `${error.instancePath}${extra}`;
  const where = context && context !== 'body' ? `${context} ` : '';
  const message =
    typeof params['additionalProperty'] === 'string'
      ? `Unknown field "${params['additionalProperty']}".`
      : typeof params['missingProperty'] === 'string'
        ? `Field "${params['missingProperty']}" is required.`
        : `${where}${path ? path.slice(1) : 'value'} ${error.message ?? 'is invalid'}.`;
  return { path, message, ...issueCodeOf(error) };
}

/** Ajv's keyword as one of the forum's issue codes, with the limit it names. */
function issueCodeOf(error: ValidationError): Pick<FieldIssue, 'code' | 'params'> {
  const params = error.params as Record<string, unknown>;
  const limit = typeof params['limit'] === 'number' ? params['limit'] : undefined;
  switch (error.keyword) {
    case 'required':
      return { code: 'required', params: { field: String(params['missingProperty']) } };
    case 'additionalProperties':
      return { code: 'unknown_field', params: { field: String(params['additionalProperty']) } };
    case 'minLength':
      return { code: 'too_short', params: { min: limit ?? 0 } };
    case 'maxLength':
      return { code: 'too_long', params: { max: limit ?? 0 } };
    case 'minimum':
    case 'exclusiveMinimum':
      return { code: 'too_small', params: { min: limit ?? 0 } };
    case 'maximum':
    case 'exclusiveMaximum':
      return { code: 'too_large', params: { max: limit ?? 0 } };
    case 'minItems':
      return { code: 'too_few', params: { min: limit ?? 0 } };
    case 'maxItems':
      return { code: 'too_many', params: { max: limit ?? 0 } };
    case 'format':
      return { code: 'invalid_format', params: { format: String(params['format']) } };
    case 'pattern':
      return { code: 'invalid_format' };
    case 'type':
      return { code: 'invalid_type', params: { type: String(params['type']) } };
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return { code: 'invalid_value' };
    default:
      return { code: 'invalid' };
  }
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.details?.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(error.details.retryAfterSeconds));
  }
  return reply.status(error.statusCode).send({
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  });
}

export function toAppError(error: FastifyError | AppError | Error): AppError | null {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    // One issue per field: a nullable field that fails says why once, not also "must be null" and
    // "must match a schema in anyOf" (Ajv's first error for a path is the telling one).
    const byPath = new Map<string, FieldIssue>();
    for (const v of fastifyError.validation) {
      const issue = issueOf(v, fastifyError.validationContext);
      if (!byPath.has(issue.path)) byPath.set(issue.path, issue);
    }
    const issues = [...byPath.values()];
    return new AppError(400, 'VALIDATION_FAILED', issues[0]?.message ?? 'The request is not valid.', { issues });
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new AppError(status, CODE_BY_STATUS[status] ?? 'VALIDATION_FAILED', error.message);
  }
  return null;
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
      const known = toAppError(error);
      if (known) {
        if (known.statusCode >= 500) request.log.error({ err: error }, 'request failed');
        return sendError(reply, known);
      }
      request.log.error(
        { err: error, url: request.url, method: request.method, userId: request.auth?.user.id },
        'unexpected error',
      );
      return reply.status(500).send({
        error: {
          code: 'INTERNAL_ERROR',
          message: `Something went wrong on our side. It has been logged (reference ${request.id}).`,
        },
      });
    });
  },
  { name: 'errors', fastify: '5.x' },
);
