/**
 * Whether the thread `t` of a query has an accepted answer in view: a mark whose reply is visible
 * and still in that thread (answers.queries.ts reads the marks by the same rule). Plain SQL with
 * no imports, so the search workers use it too.
 */
export const ANSWERED_SQL = `exists (select 1 from accepted_answers aa join posts ap on ap.id = aa.post_id
    and ap.thread_id = aa.thread_id and ap.state = 'visible' where aa.thread_id = t.id)`;
