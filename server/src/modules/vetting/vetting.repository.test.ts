import { describe, expect, it } from 'vitest';
import { emailDomain } from './vetting.repository.js';

describe('emailDomain (for "related accounts")', () => {
  it.each([
    ['Judge@ODPP.go.ke', 'odpp.go.ke'],
    ['a.b@justice.gouv.fr', 'justice.gouv.fr'],
    ['someone@gmail.com', null],
    ['daniel@lexforum.test', null],
    ['user@court.example', null],
    ['no-at-sign', null],
    [null, null],
  ])('%s → %s', (email, domain) => {
    expect(emailDomain(email)).toBe(domain);
  });
});
