import { generateHOTP } from '@oslojs/otp';
import { describe, expect, it } from 'vitest';
import {
  generateTotpKey,
  matchTotpCode,
  normalizeTotpCode,
  totpCodeAt,
  totpSecret,
  totpStep,
  totpUri,
} from './totp.js';

// RFC 6238 appendix B: the SHA-1 key is the ASCII "12345678901234567890"; eight-digit values there,
// whose last six digits are the six-digit codes.
const RFC_KEY = new TextEncoder().encode('12345678901234567890');
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
];

describe('TOTP', () => {
  it.each(RFC_VECTORS)('matches RFC 6238 at %i s', (seconds, expected) => {
    const step = totpStep(new Date(seconds * 1000));
    expect(generateHOTP(RFC_KEY, BigInt(step), 8)).toBe(expected);
    expect(totpCodeAt(RFC_KEY, step)).toBe(expected.slice(2));
  });

  it('makes 20-byte random keys, shown as 32 base32 characters in an otpauth URI', () => {
    const a = generateTotpKey();
    const b = generateTotpKey();
    expect(a).toHaveLength(20);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(totpSecret(a)).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(a, 'judge+x@court.example'));
    expect(uri.protocol).toBe('otpauth:');
    expect(decodeURIComponent(uri.pathname)).toBe('/LexForum:judge+x@court.example');
    expect(uri.searchParams.get('secret')).toBe(totpSecret(a));
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
  });

  it('normalizes spaces and dashes and refuses anything but six digits', () => {
    expect(normalizeTotpCode(' 123 456 ')).toBe('123456');
    expect(normalizeTotpCode('123-456')).toBe('123456');
    for (const bad of ['', '12345', '1234567', '12345a', '１２３４５６', '123456\u0000', '٣٤٥٦٧٨']) {
      expect(normalizeTotpCode(bad)).toBeNull();
    }
  });

  describe('matchTotpCode', () => {
    const key = generateTotpKey();
    const now = new Date('2026-11-22T09:00:10.000Z');
    const step = totpStep(now);

    it('accepts the current step and one step either side, and says which', () => {
      for (const offset of [-1, 0, 1]) {
        expect(matchTotpCode(key, totpCodeAt(key, step + offset), now, null)).toEqual({
          ok: true,
          step: step + offset,
        });
      }
    });

    it('refuses two steps away and a wrong code as invalid', () => {
      for (const offset of [-2, 2, 10]) {
        expect(matchTotpCode(key, totpCodeAt(key, step + offset), now, null)).toEqual({ ok: false, reason: 'invalid' });
      }
      expect(matchTotpCode(generateTotpKey(), totpCodeAt(key, step), now, null).ok).toBe(false);
    });

    it('refuses a step at or before the last one accepted as replayed', () => {
      expect(matchTotpCode(key, totpCodeAt(key, step), now, step)).toEqual({ ok: false, reason: 'replayed' });
      expect(matchTotpCode(key, totpCodeAt(key, step - 1), now, step)).toEqual({ ok: false, reason: 'replayed' });
      expect(matchTotpCode(key, totpCodeAt(key, step + 1), now, step)).toEqual({ ok: true, step: step + 1 });
    });
  });
});
