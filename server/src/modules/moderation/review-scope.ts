/**
 * The review queue's scope, in SQL: the Guardian's `canModerate` rule (an admin sees every item; a
 * moderator an item one of whose jurisdictions is `INT`, theirs, or covered by no active
 * moderator, or that has none) applied by the database, so listing and counting 10,000 open items
 * reads only the rows in scope instead of every row into JavaScript. An item's jurisdictions are
 * its thread's current tags (`thread_jurisdictions`), or the submitted ones for a held thread.
 * Hot and per-request-parameterised only by the moderator's jurisdictions: built once per call.
 */
import { INTERNATIONAL } from '@lexforum/shared';
import { sql, type SQL } from 'drizzle-orm';
import type { Guardian } from '../guardian/guardian.js';

/** Jurisdictions some active moderator covers (the others are every moderator's). */
const STAFFED = sql.raw(`(select mj.jurisdiction_code from moderator_jurisdictions mj
  join users u on u.id = mj.user_id
  where u.role = 'moderator' and u.status = 'active' and u.second_factor = 1)`);

/**
 * A condition on `review_items` (unaliased) that holds for the items in this staff member's scope;
 * undefined for an admin (everything).
 */
export function reviewScopeSql(guardian: Guardian): SQL | undefined {
  const covered = guardian.scope();
  if (covered === null) return undefined;
  const mine = JSON.stringify([...covered]);
  const inScope = (code: SQL) =>
    sql`(${code} = ${INTERNATIONAL} or ${code} in (select value from json_each(${mine})) or ${code} not in ${STAFFED})`;
  return sql`(
    review_items.thread_id in (select tj.thread_id from thread_jurisdictions tj where ${inScope(sql`tj.code`)})
    or (review_items.thread_id is not null
      and not exists (select 1 from thread_jurisdictions tj where tj.thread_id = review_items.thread_id))
    or (review_items.thread_id is null and (json_array_length(review_items.jurisdictions) = 0
      or exists (select 1 from json_each(review_items.jurisdictions) j where ${inScope(sql`j.value`)})))
  )`;
}

/**
 * A condition on `review_items` (unaliased) leaving out reported direct messages of conversations
 * this staff member is or was in: nobody reviews a report on a conversation they are part of (the
 * other member may be their own opponent). For admins too.
 */
export function notOwnConversationSql(guardian: Guardian): SQL {
  return sql`(review_items.kind <> 'message' or not exists (select 1 from direct_messages m
    join conversation_participants cp on cp.conversation_id = m.conversation_id
    where m.id = review_items.message_id and cp.user_id = ${guardian.user.id}))`;
}
