import { checkText as sharedCheck, POST_RULES, TEXT_RULES } from '@lexforum/shared';
import { describe, expect, it } from 'vitest';
import en from '../../messages/en.json';
import { checkDisplayName, checkEmail, checkPasswordShape, checkPostText, checkText } from './text-checks.js';

describe('client-side text checks, worded from the message files', () => {
  it('word each problem shared finds, and accept what shared accepts', () => {
    const rule = TEXT_RULES.position;
    expect(checkText(' Judge', rule)).toBe(en.issue_edge_spaces);
    expect(checkText('', rule)).toBe(en.issue_required);
    expect(checkText('J', rule)).toBe(en.issue_too_short.replace('{min}', '2'));
    expect(checkText('J'.repeat(161), rule)).toBe(en.issue_too_long.replace('{max}', '160'));
    expect(checkText('Judge\u202E', rule)).toBe(en.issue_invisible_characters);
    expect(checkText('Senior judge', rule)).toBeNull();
    expect(sharedCheck('Senior judge', rule)).toBeNull();
    expect(checkPostText('\u200B\u200B\u200B', POST_RULES.body)).toBe(en.issue_required);
  });

  it('word names, addresses and passwords', () => {
    expect(checkDisplayName('Amina Diallo')).toBeNull();
    expect(checkDisplayName('A')).toBe(en.issue_name_too_short.replace('{min}', '2'));
    expect(checkDisplayName('!!!')).toBe(en.issue_name_no_letter);
    expect(checkDisplayName('Camille  Durand')).toBe(en.issue_name_double_space);
    expect(checkEmail('name@court.example')).toBeNull();
    expect(checkEmail('not an address')).toBe(en.issue_email_invalid);
    expect(checkPasswordShape('short')).toBe(en.issue_password_too_short.replace('{min}', '12'));
  });
});
