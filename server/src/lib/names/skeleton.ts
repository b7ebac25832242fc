/**
 * UTS #39 confusable skeletons: two names with the same skeleton look alike ("Camille" with a
 * Cyrillic "а", "Adm1n" and "AdmIn", "rn" and "m"). The mapping is Unicode's confusables.txt as
 * the `unhomoglyph` package ships it (data only; its own replace function is one huge regular
 * expression, so the table is applied here per code point, as the skeleton algorithm says).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** confusables.txt: one code point → its prototype, a string of one or more code points. */
const CONFUSABLES = require('unhomoglyph/data.json') as Readonly<Record<string, string>>;

const IGNORABLE = /[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}]/gu;

function mapConfusables(text: string): string {
  let out = '';
  for (const char of text) out += CONFUSABLES[char] ?? char;
  return out;
}

/**
 * skeleton(X) = NFD(map(NFD(X))) after UTS #39, applied to a case-folded name (names are compared
 * case-insensitively: "ADMIN" imitates "Admin") with invisible characters dropped and runs of
 * white space made one space. Mapping on both sides of the fold catches "0" → "O" → "o" and
 * Cyrillic "М" → "M" → "m" (its lower case "м" has another prototype). Folding
 * loses that a capital I looks like l ("ADM1N", "AdmIn"), so i and l are one letter here.
 */
export function nameSkeleton(name: string): string {
  const visible = name.normalize('NFD').replace(IGNORABLE, '');
  const mapped = mapConfusables(mapConfusables(visible).toLowerCase().normalize('NFD')).toLowerCase();
  return mapped.normalize('NFD').replace(/i/g, 'l').replace(/\s+/gu, ' ').trim();
}
