/**
 * Request validation with two Ajv instances. Bodies are JSON and validated strictly: a number is
 * never quietly turned into a string. Query strings and path params arrive as text, so there
 * `?page=2` and `?uncovered=true` are coerced to the types their schemas name.
 *
 * Compiled on first use and once per process: compiling every route's schemas at start was about
 * a quarter of the server's cold start, most routes are rarely called, and the test suite builds
 * an app per test from the same schema objects (from `shared`), which are the cache's keys.
 */
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats ships CommonJS with a default export; under NodeNext the callable is `.default`.
const addFormats = addFormatsImport as unknown as typeof addFormatsImport.default;

const common: Options = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };
const strict = addFormats(new Ajv({ ...common, coerceTypes: false }));
const coercing = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));

type Validate = ((data: unknown) => boolean) & { errors?: ValidateFunction['errors'] };

const compiled = { strict: new WeakMap<object, Validate>(), coercing: new WeakMap<object, Validate>() };
/** Compilers not run yet, for `compileAllValidators` (a test proves every route's schema compiles). */
const pending = new Set<() => void>();
/** Validators handed out in this process (one per schema and kind, shared by every app built). */
let handedOut = 0;

/** How many validators were handed out, compiled or not. */
export function validatorCount(): number {
  return handedOut;
}

/** Compiles every validator handed out and not yet used; throws what a bad schema would throw. */
export function compileAllValidators(): number {
  const all = [...pending];
  for (const compile of all) compile();
  return all.length;
}

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const kind = httpPart === 'body' ? 'strict' : 'coercing';
  const cached = compiled[kind].get(schema);
  if (cached) return cached;
  let validate: ValidateFunction | undefined;
  const compile = (): ValidateFunction => {
    validate ??= (kind === 'strict' ? strict : coercing).compile(schema);
    pending.delete(compile);
    return validate;
  };
  pending.add(compile);
  handedOut++;
  // Fastify reads `errors` from the function it was given after a failed call.
  const lazy: Validate = (data) => {
    const valid = (validate ?? compile())(data);
    lazy.errors = validate!.errors;
    return valid;
  };
  compiled[kind].set(schema, lazy);
  return lazy;
};
