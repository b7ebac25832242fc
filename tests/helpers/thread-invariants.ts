/**
 * What must hold between the thread tables whoever wrote them (the server, the demo seed, the bench
 * generator): counters agree with the rows they count, the tree of replies is well formed, every
 * version of a post is kept, and the tags stored as JSON on a thread equal its join-table rows.
 * Each check is one SQL query that returns the ids breaking it.
 */
import type Database from 'better-sqlite3';

const sameSet = (json: string, table: string, column: string) => `(
  exists (select value from json_each(${json}) except select ${column} from ${table} where thread_id = t.id)
  or exists (select ${column} from ${table} where thread_id = t.id except select value from json_each(${json}))
  or (select count(*) from json_each(${json})) != (select count(distinct value) from json_each(${json}))
)`;

export const THREAD_INVARIANTS: Record<string, string> = {
  'threads.post_count is the number of posts': `
    select t.id from threads t
    where t.post_count != (select count(*) from posts p where p.thread_id = t.id)`,
  'threads.participant_count is the number of distinct authors': `
    select t.id from threads t
    where t.participant_count != (select count(distinct p.author_id) from posts p where p.thread_id = t.id)`,
  'threads.last_post_at and last_poster_id are those of the last post': `
    select t.id from threads t
    left join posts p on p.thread_id = t.id and p.number = t.post_count
    where p.id is null or p.created_at != t.last_post_at or p.author_id != t.last_poster_id
       or t.last_post_at != (select max(created_at) from posts q where q.thread_id = t.id)`,
  'threads.created_at and author_id are those of the opening post': `
    select t.id from threads t
    left join posts p on p.thread_id = t.id and p.number = 1
    where p.id is null or p.created_at != t.created_at or p.author_id != t.author_id or t.updated_at < t.created_at`,
  'posts are numbered 1..n in creation order': `
    select a.id from posts a
    join posts b on b.thread_id = a.thread_id and b.number = a.number + 1
    where b.created_at < a.created_at
    union all
    select thread_id from posts group by thread_id having min(number) != 1 or max(number) != count(*)`,
  'only the opening post has no parent, at depth 0': `
    select id from posts where (parent_id is null) != (number = 1) or (number = 1 and depth != 0)`,
  'a reply is one deeper than its parent, which is an earlier post of the same thread': `
    select c.id from posts c
    left join posts p on p.id = c.parent_id
    where c.parent_id is not null
      and (p.id is null or p.thread_id != c.thread_id or c.depth != p.depth + 1 or p.number >= c.number)`,
  'posts.reply_count is the number of direct replies': `
    select p.id from posts p
    where p.reply_count != (select count(*) from posts c where c.parent_id = p.id)`,
  'post_revisions hold every version, the last one equal to the post': `
    select p.id from posts p
    left join post_revisions r on r.post_id = p.id and r.version = p.version
    where r.post_id is null
       or (select count(*) from post_revisions x where x.post_id = p.id) != p.version
       or (select max(version) from post_revisions x where x.post_id = p.id) != p.version
       or r.cooked != p.cooked or r.body is not p.body or r.sections is not p.sections
       or (p.version = 1) != (p.edited_at is null)
       or (p.version > 1 and p.edited_at != r.created_at)
       or (select created_at from post_revisions x where x.post_id = p.id and x.version = 1) != p.created_at`,
  'a legal analysis opens with five sections and no body; every other post has a body': `
    select p.id from posts p join threads t on t.id = p.thread_id
    where case when t.kind = 'legal_analysis' and p.number = 1
      then p.body is not null or p.sections is null
        or (select count(*) from json_each(p.sections)
            where key in ('questionPresented', 'relevantFacts', 'applicableLaw', 'analysis', 'conclusion')) != 5
        or t.law_as_of is null or t.personal_capacity != 1
      else p.body is null or p.sections is not null end`,
  'threads.jurisdictions equals thread_jurisdictions': `
    select t.id from threads t where ${sameSet('t.jurisdictions', 'thread_jurisdictions', 'code')}`,
  'threads.topics equals thread_topics': `
    select t.id from threads t where ${sameSet('t.topics', 'thread_topics', 'slug')}`,
  'threads.citations name exactly the thread_instruments (one row per instrument)': `
    select t.id from threads t where
      exists (select json_extract(value, '$.instrument') from json_each(t.citations)
              except select instrument from thread_instruments where thread_id = t.id)
      or exists (select instrument from thread_instruments where thread_id = t.id
                 except select json_extract(value, '$.instrument') from json_each(t.citations))`,
  'thread_reads point within the thread': `
    select r.thread_id from thread_reads r join threads t on t.id = r.thread_id
    where r.last_read_number < 0 or r.last_read_number > t.post_count`,
  'followed threads exist': `
    select f.key from follows f where f.target = 'thread' and not exists (select 1 from threads t where t.id = f.key)`,
};

export interface InvariantViolation {
  check: string;
  /** Up to five ids of the threads or posts that break it. */
  ids: string[];
}

/** Every check that fails, with a few offending ids; an empty array when all hold. */
export function threadInvariantViolations(sqlite: Database.Database): InvariantViolation[] {
  const failures: InvariantViolation[] = [];
  for (const [check, query] of Object.entries(THREAD_INVARIANTS)) {
    const ids = (sqlite.prepare(`${query} limit 5`).pluck().all() as unknown[]).map(String);
    if (ids.length > 0) failures.push({ check, ids });
  }
  return failures;
}
