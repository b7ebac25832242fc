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

/**
 * The words of the index a prefix opens, when there are few enough to list (null: too many, or
 * no list at hand). A listed prefix becomes an OR of whole words, which FTS5 reads lazily, newest
 * first; FTS5's own `"pre" *` merges every such word's whole list before it answers.
 */
export type PrefixExpander = (prefix: string) => string[] | null;

/** At most this many words stand for a prefix; beyond, FTS5's own prefix query is used. */
export const PREFIX_EXPANSION_MAX = 256;

function termExpr(term: Term, expand?: PrefixExpander): string {
  if (!isPrefix(term)) return quote(term.words.join(' '));
  const head = term.words.slice(0, -1);
  const last = term.words[term.words.length - 1]!;
  const opened = expand?.(last);
  if (!opened) return `${quote(term.words.join(' '))} *`;
  // A prefix nothing opens can match nothing: the word itself stands for it (and finds nothing).
  const alternatives = (opened.length > 0 ? opened : [last]).map((word) => quote([...head, word].join(' ')));
  return alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`;
}

function clauseExpr(clause: Clause, expand?: PrefixExpander): string {
  return clause.length === 1
    ? termExpr(clause[0]!, expand)
    : `(${clause.map((term) => termExpr(term, expand)).join(' OR ')})`;
}

/** The positive and excluded terms of a query, and whether only titles count. */
export type MatchQuery = Pick<ParsedQuery, 'clauses' | 'excluded'> & { inTitle: boolean };

/** The MATCH expression, or null when the query has no words to look for. */
export function matchExpression(query: MatchQuery, expand?: PrefixExpander): string | null {
  if (query.clauses.length === 0) return null;
  let positive = query.clauses.map((clause) => clauseExpr(clause, expand)).join(' AND ');
  if (query.inTitle) positive = `{title} : (${positive})`;
  if (query.excluded.length > 0) {
    positive = `(${positive}) NOT (${query.excluded.map((term) => termExpr(term, expand)).join(' OR ')})`;
  }
  return positive;
}

/** Column weights of bm25: thread titles, opening posts (analyses' sections), replies. */
export const COLUMN_WEIGHTS = [8, 3, 1] as const;
