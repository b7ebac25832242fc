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
    expect(c.mailDir).toBe(`${repoRoot}data/mail`);
    expect(c).toMatchObject({ SMTP_URL: '', MAIL_FROM: 'LexForum <no-reply@localhost>' });
  });

  it('starts in production with SMTP_URL, and elsewhere without it (mail goes to MAIL_DIR)', () => {
    expect(loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtps://u:p@mail.example.org:465' }).SMTP_URL).toBe(
      'smtps://u:p@mail.example.org:465',
    );
    expect(loadConfig({ NODE_ENV: 'development', MAIL_DIR: '/tmp/lexforum-mail' }).mailDir).toBe('/tmp/lexforum-mail');
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
    const smtp = { SMTP_URL: 'smtp://mail.example.org:587' };
    expect(loadConfig({ NODE_ENV: 'production', ...smtp }).apiDocs).toBe('members');
    expect(loadConfig({ NODE_ENV: 'production', API_DOCS: 'public', ...smtp }).apiDocs).toBe('public');
    expect(loadConfig({ API_DOCS: 'off' }).apiDocs).toBe('off');
  });

  it.each([
    [{ API_DOCS: 'everyone' }, /API_DOCS/],
    [{ REQUEST_TIMEOUT_SECONDS: '0' }, /REQUEST_TIMEOUT_SECONDS/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ PUBLIC_ORIGIN: 'ftp://x.example' }, /PUBLIC_ORIGIN/],
    [{ SESSION_IDLE_TIMEOUT_SECONDS: '90000', SESSION_MAX_AGE_SECONDS: '3600' }, /must not exceed/],
    [{ NODE_ENV: 'production' }, /SMTP_URL: required in production/],
    [{ SMTP_URL: 'mail.example.org' }, /SMTP_URL/],
  ])('refuses %j naming the key', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
