/**
 * Text folded for type-ahead matching, in any of the four languages: case and accents dropped
 * ("Côte" matches "cote"), Arabic short vowels and tatweel dropped and the letters typed
 * interchangeably unified (أ إ آ → ا, ى → ي, ة → ه), so a reader finds a name however they type it.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\p{M}\u0640]/gu, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .toLowerCase();
}
