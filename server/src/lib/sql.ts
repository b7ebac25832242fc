import type { DbHandle } from '@lexforum/db';
import { or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * Case folding for search. SQLite's lower() and LIKE fold ASCII letters only, so "Émilie" was not
 * found by "émilie", nor even by "Émilie" once the search text was folded in JavaScript. Both
 * sides are folded here by the same JavaScript function; upper case, because lower-casing is
 * context-sensitive (a final Σ becomes ς, so "ΟΔΥΣ" would not be found in "ΟΔΥΣΣΕΑΣ").
 */
export const foldCase = (value: string): string => value.toUpperCase();

/** Registers the SQL functions the queries below use; once per connection, before any query. */
export function registerSqlFunctions(sqlite: DbHandle['sqlite']): void {
  sqlite.function('lexforum_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldCase(value) : value,
  );
}

/**
 * Case-insensitive "contains" over one or more text columns, with the search text's own `%`, `_`
 * and `\` taken literally. Undefined when there is nothing to search for.
 */
export function containsText(q: string | undefined, columns: SQLWrapper[]): SQL | undefined {
  const needle = q?.trim();
  if (!needle) return undefined;
  const pattern = `%${foldCase(needle).replace(/[%_\\]/g, '\\$&')}%`;
  return or(...columns.map((c) => sql`lexforum_fold(coalesce(${c}, '')) like ${pattern} escape '\\'`));
}
