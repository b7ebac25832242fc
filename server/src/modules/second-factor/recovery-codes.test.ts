import { RECOVERY_CODE_COUNT } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { generateRecoveryCode, hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js';

describe('recovery codes', () => {
  it('are xxxxx-xxxxx in lowercase base32 (50 random bits), all different', () => {
    const codes = Array.from({ length: 2000 }, generateRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every character of the alphabet turns up: the bytes are not biased toward part of it.
    expect(new Set(codes.join('').replace(/-/g, '')).size).toBe(32);
    expect(RECOVERY_CODE_COUNT).toBe(10);
  });

  it('normalizes case, spaces and dashes', () => {
    expect(normalizeRecoveryCode('ABCDE-FGH23')).toBe('abcdefgh23');
    expect(normalizeRecoveryCode('  abcde fgh23\n')).toBe('abcdefgh23');
    expect(normalizeRecoveryCode('ab-cd-ef-gh-23')).toBe('abcdefgh23');
  });

  it('refuses what cannot be a code', () => {
    for (const bad of [
      '',
      'abcde',
      'abcde-fgh2',
      'abcde-fgh234',
      'abcde-fgh01',
      'abcdé-fgh23',
      '123456',
      'abcde_fgh23',
    ]) {
      expect(normalizeRecoveryCode(bad), bad).toBeNull();
    }
  });

  it('hashes with SHA-256, the same for every spelling of one code', () => {
    const hash = hashRecoveryCode(normalizeRecoveryCode('ABCDE-FGH23')!);
    expect(hash).toHaveLength(32);
    expect(hash.equals(hashRecoveryCode(normalizeRecoveryCode(' abcde fgh23 ')!))).toBe(true);
    expect(hash.equals(hashRecoveryCode('abcdefgh24'))).toBe(false);
  });
});
