import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, repoRoot } from './config.js';

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      publicOrigin: 'http://localhost:3000',
      secureCookies: false,
      SESSION_IDLE_TIMEOUT_SECONDS: 604800,
      SESSION_MAX_AGE_SECONDS: 2592000,
    });
    expect(c.databaseFile).toBe(`${repoRoot}data/lexforum.db`);
  });

  it('converts and validates values, and derives the cookie policy from the origin scheme', () => {
    const c = loadConfig({ PORT: '8080', PUBLIC_ORIGIN: 'https://forum.example.org/', TRUST_PROXY: 'true' });
    expect(c).toMatchObject({
      PORT: 8080,
      publicOrigin: 'https://forum.example.org',
      secureCookies: true,
      TRUST_PROXY: true,
    });
  });

  it('serves the API docs to members only in production unless API_DOCS says otherwise', () => {
    expect(loadConfig({}).apiDocs).toBe('public');
    expect(loadConfig({ NODE_ENV: 'production' }).apiDocs).toBe('members');
    expect(loadConfig({ NODE_ENV: 'production', API_DOCS: 'public' }).apiDocs).toBe('public');
    expect(loadConfig({ API_DOCS: 'off' }).apiDocs).toBe('off');
  });

  it.each([
    [{ API_DOCS: 'everyone' }, /API_DOCS/],
    [{ REQUEST_TIMEOUT_SECONDS: '0' }, /REQUEST_TIMEOUT_SECONDS/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ PUBLIC_ORIGIN: 'ftp://x.example' }, /PUBLIC_ORIGIN/],
    [{ SESSION_IDLE_TIMEOUT_SECONDS: '90000', SESSION_MAX_AGE_SECONDS: '3600' }, /must not exceed/],
  ])('refuses %j naming the key', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
