/**
 * Turns parsed terms into an FTS5 MATCH expression. Every word is emitted inside double quotes
 * (folded words hold only letters and digits, and any quote is doubled anyway), so the only FTS5
 * syntax in the expression is the one written here: AND, OR, NOT, `*` after a phrase, and the
 * `{title}` column filter.
 */
import type { Clause, ParsedQuery, Term } from './query-parser.js';

/** A prefix shorter than this matches as a whole word (a one-letter prefix would read the index). */
export const MIN_PREFIX_CHARS = 2;

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;

export function isPrefix(term: Term): boolean {
  return term.prefix && [...term.words[term.words.length - 1]!].length >= MIN_PREFIX_CHARS;
}

function termExpr(term: Term): string {
  return `${quote(term.words.join(' '))}${isPrefix(term) ? ' *' : ''}`;
}

function clauseExpr(clause: Clause): string {
  return clause.length === 1 ? termExpr(clause[0]!) : `(${clause.map(termExpr).join(' OR ')})`;
}

/** The MATCH expression, or null when the query has no words to look for. */
export function matchExpression(parsed: ParsedQuery): string | null {
  if (parsed.clauses.length === 0) return null;
  let positive = parsed.clauses.map(clauseExpr).join(' AND ');
  if (parsed.filters.inTitle) positive = `{title} : (${positive})`;
  if (parsed.excluded.length > 0) positive = `(${positive}) NOT (${parsed.excluded.map(termExpr).join(' OR ')})`;
  return positive;
}

/** Column weights of bm25: thread titles, opening posts (analyses' sections), replies. */
export const COLUMN_WEIGHTS = [8, 3, 1] as const;
