/**
 * The search query language, parsed into words to match and filters (see `shared/src/search.ts`
 * for the grammar). Pure and forgiving: anything that is not an operator is text, an unbalanced
 * quote runs to the end, FTS5's own syntax (`NEAR(`, `^`, `col:`, `+`) is just punctuation here.
 * Words are folded and split exactly as the index splits them, then handed to `match.ts`, which
 * quotes every word: nothing typed ever reaches FTS5 as syntax.
 */
import { fold, words } from '@lexforum/db';
import { SEARCH_STATUSES, type IssueCode, type SearchStatus, type ThreadKind } from '@lexforum/shared';

/** A word or phrase to match: its folded words (a phrase when more than one), maybe a prefix. */
export interface Term {
  words: string[];
  prefix: boolean;
}

/** Alternatives joined by OR: one of them must match. */
export type Clause = Term[];

export interface OperatorFilters {
  jurisdictions: string[];
  topics: string[];
  instruments: string[];
  kind: ThreadKind | null;
  author: string | null;
  after: string | null;
  before: string | null;
  status: SearchStatus | null;
  inTitle: boolean;
}

export interface ParsedQuery {
  /** Every clause must match. */
  clauses: Clause[];
  /** None of these may match. */
  excluded: Term[];
  filters: OperatorFilters;
  /** Operator values that cannot be used, with the reason (reported as 400). */
  problems: { operator: string; value: string; code: IssueCode; message: string }[];
}

const KIND_ALIASES: Record<string, ThreadKind> = {
  analysis: 'legal_analysis',
  legal_analysis: 'legal_analysis',
  'legal-analysis': 'legal_analysis',
  question: 'question',
  discussion: 'discussion',
  case_note: 'case_note',
  'case-note': 'case_note',
  casenote: 'case_note',
  note: 'case_note',
};

const OPERATORS = new Set(['jurisdiction', 'topic', 'instrument', 'kind', 'in', 'after', 'before', 'status', 'author']);

/** Control characters and other invisible input are separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

interface RawToken {
  text: string;
  quoted: boolean;
  negated: boolean;
  /** A phrase followed by `*`: its last word is a prefix. */
  prefix?: boolean;
}

function tokenize(input: string): RawToken[] {
  const s = input.replace(CONTROL, ' ');
  const tokens: RawToken[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/u.test(s[i]!)) i++;
    if (i >= s.length) break;
    let negated = false;
    if (s[i] === '-' && i + 1 < s.length && !/\s/u.test(s[i + 1]!)) {
      negated = true;
      i++;
    }
    if (s[i] === '"') {
      const end = s.indexOf('"', i + 1);
      const text = s.slice(i + 1, end === -1 ? s.length : end);
      const prefix = end !== -1 && s[end + 1] === '*';
      tokens.push({ text, quoted: true, negated, prefix });
      i = end === -1 ? s.length : end + (prefix ? 2 : 1);
      continue;
    }
    let j = i;
    while (j < s.length && !/\s/u.test(s[j]!)) {
      // An operator's quoted value: topic:"illicit tobacco" (kept with the operator).
      if (s[j] === '"' && j > i && s[j - 1] === ':') {
        const end = s.indexOf('"', j + 1);
        j = end === -1 ? s.length : end + 1;
        continue;
      }
      j++;
    }
    tokens.push({ text: s.slice(i, j), quoted: false, negated });
    i = j;
  }
  return tokens;
}

function emptyFilters(): OperatorFilters {
  return {
    jurisdictions: [],
    topics: [],
    instruments: [],
    kind: null,
    author: null,
    after: null,
    before: null,
    status: null,
    inTitle: false,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** A word typed, as terms: its folded words (a phrase when it holds punctuation: `5(1)(b)`). */
function termOf(text: string, quoted: boolean, quotedPrefix = false): Term | null {
  let prefix = quotedPrefix;
  let body = text;
  if (!quoted && body.endsWith('*')) {
    body = body.replace(/\*+$/, '');
    prefix = true;
  }
  const parts = words(fold(body));
  if (parts.length === 0) return null;
  // A prefix applies to the last word of what was typed (`art. 5*` is "art" then "5…").
  return { words: parts, prefix };
}

export function parseQuery(input: string): ParsedQuery {
  const filters = emptyFilters();
  const problems: ParsedQuery['problems'] = [];
  const clauses: Clause[] = [];
  const excluded: Term[] = [];
  let pendingOr = false;

  for (const token of tokenize(input)) {
    if (!token.quoted && !token.negated) {
      if (token.text === 'OR') {
        pendingOr = clauses.length > 0;
        continue;
      }
      if (token.text.startsWith('@') && token.text.length > 1) {
        const name = token.text.slice(1).toLowerCase();
        if (/^[\p{L}\p{N}_.-]{1,40}$/u.test(name)) {
          filters.author = name;
          pendingOr = false;
          continue;
        }
      }
      const colon = token.text.indexOf(':');
      if (colon > 0) {
        const key = token.text.slice(0, colon).toLowerCase();
        const value = token.text
          .slice(colon + 1)
          .replace(/^"|"$/g, '')
          .trim();
        if (OPERATORS.has(key) && value) {
          applyOperator(key, value, filters, problems);
          pendingOr = false;
          continue;
        }
      }
    }
    const term = termOf(token.text, token.quoted, token.prefix);
    if (!term) continue;
    if (token.negated) {
      excluded.push(term);
      continue;
    }
    if (pendingOr) clauses[clauses.length - 1]!.push(term);
    else clauses.push([term]);
    pendingOr = false;
  }
  return { clauses, excluded, filters, problems };
}

function applyOperator(key: string, value: string, filters: OperatorFilters, problems: ParsedQuery['problems']): void {
  switch (key) {
    case 'jurisdiction':
      for (const code of value.split(',')) if (code.trim()) filters.jurisdictions.push(code.trim().toUpperCase());
      return;
    case 'topic':
      for (const slug of value.split(',')) if (slug.trim()) filters.topics.push(slug.trim().toLowerCase());
      return;
    case 'instrument':
      for (const slug of value.split(',')) if (slug.trim()) filters.instruments.push(slug.trim().toLowerCase());
      return;
    case 'author':
      filters.author = value.replace(/^@/, '').toLowerCase();
      return;
    case 'kind': {
      const kind = KIND_ALIASES[value.toLowerCase()];
      if (kind) filters.kind = kind;
      else
        problems.push({
          operator: key,
          value,
          code: 'search_unknown_kind',
          message: `Unknown kind "${value}": use analysis, question, discussion or case_note.`,
        });
      return;
    }
    case 'in':
      if (value.toLowerCase() === 'title') filters.inTitle = true;
      else {
        problems.push({
          operator: key,
          value,
          code: 'search_unknown_in',
          message: `Unknown "in:${value}": only in:title is supported.`,
        });
      }
      return;
    case 'after':
    case 'before':
      if (validDate(value)) filters[key] = value;
      else {
        problems.push({
          operator: key,
          value,
          code: 'search_bad_date',
          message: `"${key}:${value}" needs a date written YYYY-MM-DD.`,
        });
      }
      return;
    case 'status': {
      const status = value.toLowerCase();
      if ((SEARCH_STATUSES as readonly string[]).includes(status)) filters.status = status as SearchStatus;
      else {
        problems.push({
          operator: key,
          value,
          code: 'search_unknown_status',
          message: `Unknown status "${value}": use resolved, open, answered or unanswered.`,
        });
      }
      return;
    }
  }
}

/** The folded words of the query, for highlighting (prefixes marked with a trailing `*`). */
export function highlightTerms(parsed: ParsedQuery): string[] {
  const out = new Set<string>();
  for (const clause of parsed.clauses) {
    for (const term of clause) {
      term.words.forEach((word, i) => out.add(term.prefix && i === term.words.length - 1 ? `${word}*` : word));
    }
  }
  return [...out];
}
