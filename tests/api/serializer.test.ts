/**
 * Responses are serialized from schemas in which a value that may be null is an `anyOf` of it and
 * null, rewritten as `nullable` before compiling (server/src/lib/serializer.ts). The JSON must be
 * what `JSON.stringify` gives for the same valid values, and every route's response schemas must
 * still compile.
 */
import { describe, expect, it } from 'vitest';
import Type from 'typebox';
import { SessionState, SignInResult, type CurrentUser, type VerifiedBadge } from '@lexforum/shared';
import { nullableForSerialization, serializerCompiler } from '@lexforum/server/test-support';
import { buildTestApp } from '../helpers/app.js';

const serializerOf = (schema: object) =>
  serializerCompiler({ schema, method: 'GET', url: '/', httpStatus: '200' }) as (data: unknown) => string;

const badge: VerifiedBadge = {
  profession: 'judge',
  position: 'Judge "of appeal"',
  institution: 'Cour d’appel de Paris',
  jurisdictionCode: 'FR',
  jurisdictionName: 'France',
  verifiedAt: '2026-01-02T03:04:05.000Z',
  verifiedBy: { id: 'u2', displayName: 'Ada' },
  reverificationDueAt: '2028-01-02T03:04:05.000Z',
  reverificationDue: false,
};

const user: CurrentUser = {
  id: 'u1',
  email: 'camille@example.org',
  emailVerified: true,
  displayName: 'Camille </script>',
  username: 'camille',
  role: 'member',
  status: 'active',
  access: 'member',
  applicationStatus: null,
  badge,
  languages: ['fr', 'en'],
  locale: null,
  moderatorJurisdictions: [],
  suspendedReason: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('response serialization of values that may be null', () => {
  it('rewrites a union with null as nullable, in either order and all the way down', () => {
    const schema = Type.Object({
      a: Type.Union([Type.String(), Type.Null()]),
      b: Type.Union([Type.Null(), Type.Object({ c: Type.Union([Type.Integer(), Type.Null()]) })]),
      e: Type.Union([Type.Unsafe<string>({ enum: ['x', 'y'] }), Type.Null()]),
      l: Type.Union([Type.Literal('only'), Type.Null()]),
      // Not a plain pair with null: left as it is.
      f: Type.Union([Type.String(), Type.Integer()]),
      g: Type.Union([Type.String(), Type.Integer(), Type.Null()]),
    });
    const out = JSON.parse(JSON.stringify(nullableForSerialization(schema))) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(out.properties.a).toEqual({ type: 'string', nullable: true });
    expect(out.properties.b).toMatchObject({ type: 'object', nullable: true });
    expect((out.properties.b!.properties as Record<string, unknown>).c).toEqual({ type: 'integer', nullable: true });
    expect(out.properties.e).toEqual({ type: 'string', nullable: true });
    expect(out.properties.l).toEqual({ type: 'string', nullable: true });
    expect(out.properties.f).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }] });
    expect(out.properties.g!.anyOf).toHaveLength(3);
    // The schema given is not changed (it is shared with request validation and the client).
    expect(schema.properties.a.anyOf).toHaveLength(2);
  });

  it('writes the session as JSON.stringify does, signed out, without a badge and with one', () => {
    const serialize = serializerOf(SessionState);
    for (const value of [
      { user: null },
      { user: { ...user, badge: null, applicationStatus: 'submitted', locale: 'fr', suspendedReason: 'x' } },
      { user },
      { user: { ...user, badge: { ...badge, verifiedBy: null } } },
    ]) {
      expect(JSON.parse(serialize(value))).toEqual(value);
      expect(serialize(value)).toBe(JSON.stringify(value));
    }
  });

  it('writes a union of objects whose branches hold values that may be null (sign-in) as JSON.stringify does', () => {
    const serialize = serializerOf(SignInResult);
    for (const value of [
      { user },
      { user: { ...user, badge: null, applicationStatus: 'submitted', locale: 'fr' } },
      { user: { ...user, applicationStatus: null, locale: null } },
      { secondFactor: { methods: ['totp'], expiresAt: '2026-01-02T03:04:05.000Z' } },
    ]) {
      expect(serialize(value)).toBe(JSON.stringify(value));
    }
  });

  it('compiles the response schemas of every route', async () => {
    const t = await buildTestApp();
    try {
      // Every route's response schemas were compiled when the app was made ready; a schema the
      // rewrite broke throws there. The session is then served from its rewritten schema.
      const res = await t.app.inject({ method: 'GET', url: '/api/session' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ user: null });
    } finally {
      await t.close();
    }
  });
});
