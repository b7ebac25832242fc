/**
 * Whether the thread `t` of a query has an accepted answer in view: a mark whose reply is visible,
 * still in that thread, and still counts for the mark's scope. A plain question's mark is the
 * whole question's (`*`); a comparative question's count for a jurisdiction it asks now, and only
 * while the reply still says it answers for that jurisdiction. answers.queries.ts reads the marks
 * by the same rule (MARK_COUNTS_SQL). Plain SQL with no imports, so the search workers use it too.
 */

/** A mark `aa` with its reply `ap`, in thread `t`, that counts (the reply's state is checked apart). */
export const MARK_COUNTS_SQL = `(case when t.comparative = 1
    then ap.answer_for = aa.scope and exists (select 1 from thread_jurisdictions tj
      where tj.thread_id = t.id and tj.code = aa.scope)
    else aa.scope = '*' end)`;

export const ANSWERED_SQL = `exists (select 1 from accepted_answers aa join posts ap on ap.id = aa.post_id
    and ap.thread_id = aa.thread_id and ap.state = 'visible' where aa.thread_id = t.id and ${MARK_COUNTS_SQL})`;
