/** Validates what clients send on the socket with the same strict Ajv settings as request bodies. */
import { Ajv } from 'ajv';
import type { TSchema } from 'typebox';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });

export function compileMessageValidator(schema: TSchema): (value: unknown) => boolean {
  const validate = ajv.compile(schema);
  return (value) => validate(value) === true;
}
