/**
 * Request validation with two Ajv instances. Bodies are JSON and validated strictly: a number is
 * never quietly turned into a string. Query strings and path params arrive as text, so there
 * `?page=2` and `?uncovered=true` are coerced to the types their schemas name.
 */
import { Ajv, type Options } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS with a default export; under NodeNext the callable is `.default`.
const addFormats = addFormatsImport as unknown as typeof addFormatsImport.default;

const common: Options = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };
const strict = addFormats(new Ajv({ ...common, coerceTypes: false }));
const coercing = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema);
