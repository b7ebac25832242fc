/**
 * Prepared statements for hot reads, one per database handle: the query is built and compiled
 * once, then each request only binds its values (STYLE.md: "prepared statements for hot reads").
 * Keyed by the handle, so a transaction or a test's own database gets its own.
 */
const statements = new WeakMap<object, Map<string, unknown>>();

export function prepared<T>(db: object, key: string, build: () => T): T {
  let forDb = statements.get(db);
  if (!forDb) {
    forDb = new Map();
    statements.set(db, forDb);
  }
  let statement = forDb.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build();
    forDb.set(key, statement);
  }
  return statement;
}
