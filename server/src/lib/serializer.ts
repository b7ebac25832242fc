/**
 * Response serialization with fast-json-stringify, as Fastify does by default, with two changes.
 *
 * Each schema is compiled once per process rather than once per app. Compiling the response
 * schemas of every route is most of the cost of building an app (about 70% of `buildApp`), and the
 * test suite builds one app per test: the route schemas are the same objects from `shared` every
 * time, so they are the cache's keys. A server builds one app, where this changes nothing.
 *
 * A value that may be null is declared in `shared` as TypeBox's `Union([X, Null()])`, an `anyOf`.
 * fast-json-stringify serializes an `anyOf` by running an Ajv validator of each branch against
 * the value to choose one, on every response: for the session's `user` that is the whole member,
 * with its dates' formats, about a tenth of a signed-in request. Before compiling, each such pair
 * becomes `X` with `nullable: true` (the form fast-json-stringify writes without validating): the
 * same JSON out, for the same values. Validation of requests is not touched.
 */
import type { FastifySerializerCompiler } from 'fastify';
import fastJsonStringify from 'fast-json-stringify';

const compiled = new WeakMap<object, (data: unknown) => string>();

type Schema = Record<string | symbol, unknown>;

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNull(schema: unknown): boolean {
  return isObject(schema) && schema.type === 'null' && Object.keys(schema).every((k) => k === 'type');
}

function isStringEnum(values: unknown): boolean {
  return Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string');
}

/** `anyOf: [X, null]` (either order) with X of one plain `type` becomes X with `nullable: true`, all the way down. */
export function nullableForSerialization(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableForSerialization);
  if (!isObject(schema)) return schema;
  const anyOf = schema.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2 && Object.keys(schema).every((k) => k === 'anyOf')) {
    const other = isNull(anyOf[1]) ? anyOf[0] : isNull(anyOf[0]) ? anyOf[1] : undefined;
    if (isObject(other) && typeof other.type === 'string' && other.type !== 'null' && !('nullable' in other)) {
      // `const` and `enum` go too: where this schema still meets Ajv (a branch of another union),
      // null would fail them. Writing a value does not need them.
      const { const: _const, enum: _enum, ...rest } = nullableForSerialization(other) as Schema;
      return { ...rest, nullable: true };
    }
    // TypeBox's `Enum` is a bare `enum`; its strings are written as strings. The list is dropped:
    // where this schema still meets Ajv (a branch of another union), null would fail it.
    if (isObject(other) && Object.keys(other).every((k) => k === 'enum') && isStringEnum(other.enum)) {
      return { type: 'string', nullable: true };
    }
  }
  const out: Schema = {};
  for (const key of Object.keys(schema)) out[key] = nullableForSerialization(schema[key]);
  return out;
}

export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => {
  let serialize = compiled.get(schema);
  if (!serialize) {
    // The cast: fast-json-stringify's types accept its own schema type, which TypeBox's objects satisfy at run time.
    serialize = fastJsonStringify(nullableForSerialization(schema) as Parameters<typeof fastJsonStringify>[0]) as (
      data: unknown,
    ) => string;
    compiled.set(schema, serialize);
  }
  return serialize;
};
