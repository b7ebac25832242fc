import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';

describe('password policy', () => {
  it.each([
    ['short', /at least 12/],
    ['1q2w3e4r5t6y', /too common/],
    ['Password123456!', /too common/],
    ['qwertyuiop2026', /too common/],
    ['zzzzzzzzzzzzzzzz', /repeats/],
  ])('refuses %j', (password, reason) => {
    expect(checkPasswordPolicy(password)).toMatch(reason);
  });

  it('refuses a password containing the email’s local part or equal to the name', () => {
    expect(checkPasswordPolicy('mwangi.prosecutor!', { email: 'mwangi@odpp.example' })).toMatch(/email/);
    expect(checkPasswordPolicy('Ama Serwaa Mensah', { displayName: 'Ama Serwaa Mensah' })).toMatch(/name/);
  });

  it('accepts a long, uncommon passphrase in any script', () => {
    expect(checkPasswordPolicy('tribunal de commerce à Lyon')).toBeNull();
    expect(checkPasswordPolicy('محكمة الاستئناف العليا')).toBeNull();
  });

  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('a long unusual passphrase');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'a long unusual passphrase')).toBe(true);
    expect(await verifyPassword(hash, 'a long unusual passphrasE')).toBe(false);
    expect(await verifyPassword('not a hash', 'anything')).toBe(false);
  });
});
