import { checkText as englishCheck, POST_RULES, TEXT_RULES } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import en from '../../messages/en.json';
import { checkDisplayName, checkEmail, checkPasswordShape, checkPostText, checkText } from './text-checks.js';

describe('client-side text checks, worded from the message files', () => {
  it('word each problem shared finds, and accept what shared accepts', () => {
    const rule = TEXT_RULES.position;
    expect(checkText(' Judge', rule)).toBe(en.check_text_spaces);
    expect(checkText('', rule)).toBe(en.check_text_required);
    expect(checkText('J', rule)).toBe(en.check_text_too_short.replace('{min}', '2'));
    expect(checkText('J'.repeat(161), rule)).toBe(en.check_text_too_long.replace('{max}', '160'));
    expect(checkText('Judge\u202E', rule)).toBe(en.check_text_invisible);
    expect(checkText('Senior judge', rule)).toBeNull();
    expect(englishCheck('Senior judge', rule)).toBeNull();
    expect(checkPostText('\u200B\u200B\u200B', POST_RULES.body)).toBe(en.check_text_required);
  });

  it('word names, addresses and passwords', () => {
    expect(checkDisplayName('Amina Diallo')).toBeNull();
    expect(checkDisplayName('A')).toBe(en.check_text_too_short.replace('{min}', '2'));
    expect(checkDisplayName('!!!')).toBe(en.check_name_letter);
    expect(checkEmail('name@court.example')).toBeNull();
    expect(checkEmail('not an address')).toBe(en.check_email_invalid);
    expect(checkPasswordShape('short')).toBe(en.check_text_too_short.replace('{min}', '12'));
  });
});
