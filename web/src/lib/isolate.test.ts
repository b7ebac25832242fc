import { describe, expect, it } from 'vitest';
import { sentenceParts } from './isolate.js';

describe('sentenceParts', () => {
  const startedBy = (i: { name: string }) => `Lancé par ${i.name}, merci`;
  it('cuts the user value out of the translated sentence', () => {
    expect(sentenceParts(startedBy, { name: 'سلمى' })).toEqual([
      { text: 'Lancé par ' },
      { key: 'name' },
      { text: ', merci' },
    ]);
  });

  it('leaves numbers to the message and isolates each string value once', () => {
    const replying = (i: { name: string; number: number }) => `${i.name} · #${i.number}`;
    expect(sentenceParts(replying, { name: 'Ana', number: 4 })).toEqual([{ key: 'name' }, { text: ' · #4' }]);
  });

  it('keeps a value that is itself made of markers as text of the value, not of the sentence', () => {
    expect(sentenceParts(startedBy, { name: '\uE000name\uE001' })).toEqual([
      { text: 'Lancé par ' },
      { key: 'name' },
      { text: ', merci' },
    ]);
  });
});
