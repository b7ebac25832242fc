import { or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * Case-insensitive "contains" over one or more text columns, with the search text's own `%`, `_`
 * and `\` taken literally. Undefined when there is nothing to search for.
 */
export function containsText(q: string | undefined, columns: SQLWrapper[]): SQL | undefined {
  const needle = q?.trim().toLowerCase();
  if (!needle) return undefined;
  const pattern = `%${needle.replace(/[%_\\]/g, '\\$&')}%`;
  return or(...columns.map((c) => sql`lower(coalesce(${c}, '')) like ${pattern} escape '\\'`));
}
