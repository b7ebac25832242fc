import { ISSUE_CODES } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import { issueText } from './issues.js';

describe('issueText', () => {
  it('words an issue by its code, with its parameters', () => {
    expect(issueText({ code: 'too_short', params: { min: 12 }, message: 'Post must be at least 12 characters.' })).toBe(
      'Must be at least 12 characters.',
    );
    expect(issueText({ code: 'name_mixed_scripts', params: { scripts: 'Latin, Cyrillic' }, message: 'x' })).toContain(
      'Latin, Cyrillic',
    );
  });

  it("falls back to the server's message for an issue without a code, and to nothing for no issue", () => {
    expect(issueText({ message: 'Something only the server knows.' })).toBe('Something only the server knows.');
    expect(issueText(null)).toBeUndefined();
  });

  it('has a wording for every code, none of them the English fallback', () => {
    for (const code of ISSUE_CODES) {
      const text = issueText({
        code,
        params: {
          min: 1,
          max: 2,
          char: 'ж',
          scripts: 'A',
          value: 'v',
          operator: 'o',
          field: 'f',
          format: 'date',
          type: 'string',
        },
        message: 'FALLBACK',
      });
      expect(text, code).toBeTruthy();
      expect(text, code).not.toBe('FALLBACK');
      expect(text, code).not.toContain('{');
    }
  });
});
