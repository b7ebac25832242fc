import { compileAllValidators, validatorCount } from '@lexforum/server';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';

describe('Request schemas', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  // Request schemas are compiled on their route's first request (not at start, for a fast cold
  // start), so a schema Ajv refuses would otherwise surface only as a 500 in use. (Fastify itself
  // compiles response schemas on a route's first response.)
  it('all compile', async () => {
    t = await buildTestApp();
    // Every route's params, query and body, and every response by status (schemas shared by routes
    // count once, and so do apps built earlier in this process, which share the schemas).
    expect(validatorCount()).toBeGreaterThan(40);
    compileAllValidators();
    // Nothing is left: a second pass finds every schema compiled.
    expect(compileAllValidators()).toBe(0);
  });

  it('validate and answer the same once compiled', async () => {
    t = await buildTestApp();
    const bad = await t.request({ method: 'POST', url: '/api/auth/sign-in', body: { email: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const health = await t.request({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });
});
