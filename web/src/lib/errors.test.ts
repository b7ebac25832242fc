import { ERROR_CODES } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import en from '../../messages/en.json';
import { errorCodeMessage, readerMessage } from './errors.js';

const messages = en as Record<string, unknown>;

describe('error messages', () => {
  it('has a message, error_<code>, for every error code the server can send', () => {
    for (const code of ERROR_CODES) {
      const key = `error_${code.toLowerCase()}`;
      expect(typeof messages[key], key).toBe('string');
      expect(errorCodeMessage(code), code).toBe(messages[key]);
    }
  });

  it("falls back to the server's message for a code it does not know", () => {
    expect(errorCodeMessage('SOMETHING_NEW')).toBeNull();
    expect(readerMessage('SOMETHING_NEW', 'Something new went wrong.')).toBe('Something new went wrong.');
    expect(readerMessage('SOMETHING_NEW', '')).toBe(messages.error_unexpected);
    expect(readerMessage('THREAD_LOCKED', '')).toBe(messages.error_thread_locked);
  });
});
