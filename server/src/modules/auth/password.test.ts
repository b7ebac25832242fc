import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';

describe('password policy', () => {
  it.each([
    ['short', 'password_too_short', /at least 12/],
    ['1q2w3e4r5t6y', 'password_common', /too common/],
    ['Password123456!', 'password_common', /too common/],
    ['qwertyuiop2026', 'password_common', /too common/],
    ['zzzzzzzzzzzzzzzz', 'password_repetitive', /repeats/],
  ])('refuses %j', (password, code, reason) => {
    expect(checkPasswordPolicy(password)).toMatchObject({ code, message: expect.stringMatching(reason) });
  });

  it('refuses a password containing the email’s local part or equal to the name', () => {
    expect(checkPasswordPolicy('mwangi.prosecutor!', { email: 'mwangi@odpp.example' })?.message).toMatch(/email/);
    expect(checkPasswordPolicy('Ama Serwaa Mensah', { displayName: 'Ama Serwaa Mensah' })?.code).toBe(
      'password_personal',
    );
  });

  describe('refuses a password built from the forum’s name or the member’s name or email', () => {
    const camille = { email: 'c.laurent@cour-appel-lyon.example', displayName: 'Camille Laurent' };
    it.each([
      ['lexforum2026!', {}],
      ['ilovelexforum', {}],
      ['L3xF0rum!2026', {}],
      ['murofxelmurofxel', {}],
      ['CamilleLaurent1!', camille],
      ['laurent.camille.2026', camille],
      ['Camille-Laurent-Lyon', camille],
      ['courappellyon2026', camille],
      ['claurent2026!!', camille],
      ['kwame.boateng.1984', { email: 'kboateng@judiciary.example', displayName: 'Kwame Boateng' }],
      ['Ama Serwaa Mensah', { displayName: 'Ama Serwaa Mensah' }],
      ['mensah-serwaa-99', { displayName: 'Ama Serwaa Mensah' }],
      ['prosecutor@lexforum', { username: 'prosecutor' }],
    ])('%j', (password, context) => {
      expect(checkPasswordPolicy(password, context)).toMatchObject({
        code: 'password_personal',
        message: expect.stringMatching(/forum’s name or your name or email/),
      });
    });
  });

  describe('accepts a strong passphrase that merely contains a name', () => {
    const camille = { email: 'c.laurent@cour-appel-lyon.example', displayName: 'Camille Laurent' };
    it.each([
      ['correct horse battery staple 42', camille],
      ['Camille argued the appeal in Lyon on a rainy Tuesday', camille],
      ['the forum of the judges meets on thursdays', camille],
      ['ferryman quartz velvet tangerine', { displayName: 'Li Na' }],
      ['glacier lantern fossil orchid', { email: 'ng@court.example', displayName: 'Ng' }],
    ])('%j', (password, context) => {
      expect(checkPasswordPolicy(password, context)).toBeNull();
    });
  });

  it('stays fast: the cheap rules answer without zxcvbn, and a zxcvbn check takes milliseconds', () => {
    const context = { email: 'c.laurent@cour-appel-lyon.example', displayName: 'Camille Laurent' };
    checkPasswordPolicy('lexforum2026!', context); // loads the dictionaries once
    let start = performance.now();
    for (let i = 0; i < 50; i++) checkPasswordPolicy(`a long unrelated passphrase ${i}`, context);
    const cheap = (performance.now() - start) / 50;
    start = performance.now();
    for (let i = 0; i < 20; i++) checkPasswordPolicy(`CamilleLaurent${i}!`, context);
    const full = (performance.now() - start) / 20;
    expect(cheap).toBeLessThan(1);
    expect(full).toBeLessThan(50);
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
