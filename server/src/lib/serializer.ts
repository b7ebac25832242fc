/**
 * Response serialization with fast-json-stringify, as Fastify does by default, but each schema is
 * compiled once per process rather than once per app. Compiling the response schemas of every
 * route is most of the cost of building an app (about 70% of `buildApp`), and the test suite builds
 * one app per test: the route schemas are the same objects from `shared` every time, so they are
 * the cache's keys. A server builds one app, where this changes nothing.
 */
import type { FastifySerializerCompiler } from 'fastify';
import fastJsonStringify from 'fast-json-stringify';

const compiled = new WeakMap<object, (data: unknown) => string>();

export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => {
  let serialize = compiled.get(schema);
  if (!serialize) {
    // The cast: fast-json-stringify's types accept its own schema type, which TypeBox's objects satisfy at run time.
    serialize = fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0]) as (data: unknown) => string;
    compiled.set(schema, serialize);
  }
  return serialize;
};
