/**
 * Prepared statements for hot reads and writes, one per database connection: the query is built
 * and compiled once, then each request only binds its values (STYLE.md: "prepared statements for
 * hot reads").
 *
 * Keyed by the better-sqlite3 connection behind whatever is passed (a drizzle database, a drizzle
 * transaction, or the connection itself), so a statement built inside one transaction serves every
 * later one: a drizzle transaction is a new object each time, and keying by it compiled the
 * write path's statements anew on every write. That is safe because a transaction here is only
 * BEGIN/COMMIT on the same synchronous connection: a statement prepared from a transaction's
 * builder runs the same on the connection outside it, and the other way round. A test's own
 * database is its own connection and gets its own statements.
 */
const statements = new WeakMap<object, Map<string, unknown>>();

/** The better-sqlite3 connection behind a drizzle database or transaction; anything else as is. */
function connectionOf(db: object): object {
  if ('$client' in db && typeof db.$client === 'object' && db.$client !== null) return db.$client;
  if ('session' in db && typeof db.session === 'object' && db.session !== null) {
    const { client } = db.session as { client?: unknown };
    if (typeof client === 'object' && client !== null) return client;
  }
  return db;
}

export function prepared<T>(db: object, key: string, build: () => T): T {
  const connection = connectionOf(db);
  // Drizzle-built and raw statements never share a key.
  const fullKey = connection === db ? key : `drizzle:${key}`;
  let forDb = statements.get(connection);
  if (!forDb) {
    forDb = new Map();
    statements.set(connection, forDb);
  }
  let statement = forDb.get(fullKey) as T | undefined;
  if (statement === undefined) {
    statement = build();
    forDb.set(fullKey, statement);
  }
  return statement;
}
