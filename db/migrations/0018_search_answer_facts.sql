-- Search reads a reply's answer facts (comparative questions, migration 0016): its short answer
-- and the provisions it relies on join the post's own text in its search document, so an answer
-- is found by the provision it cites. The view of 0017 is recreated with them, and the post
-- trigger re-indexes when they change. Everything else as in 0017.
DROP TRIGGER `search_posts_update`;
--> statement-breakpoint
DROP VIEW `search_post_text`;
--> statement-breakpoint
CREATE VIEW `search_post_text` AS
  SELECT p.id AS post_id, p.thread_id, p.number, p.author_id, p.created_at, p.state, p.rowid AS r,
    CASE WHEN p.number = 1 THEN lex_fold(t.title) ELSE '' END AS title,
    CASE WHEN p.number = 1 THEN lex_post_text(p.body, p.sections) || coalesce((SELECT ' ' || group_concat(lex_fold(a.`text`), ' ') FROM `attachments` a WHERE a.`post_id` = p.`id` AND a.`text` IS NOT NULL), '') ELSE '' END AS head,
    CASE WHEN p.number = 1 THEN '' ELSE lex_post_text(p.body, p.sections) || (CASE WHEN json_extract(p.answer, '$.shortAnswer') IS NULL THEN '' ELSE ' ' || lex_fold(json_extract(p.answer, '$.shortAnswer')) END) || coalesce((SELECT ' ' || group_concat(lex_fold(pv.value), ' ') FROM json_each(p.answer, '$.provisions') pv), '') || coalesce((SELECT ' ' || group_concat(lex_fold(a.`text`), ' ') FROM `attachments` a WHERE a.`post_id` = p.`id` AND a.`text` IS NOT NULL), '') END AS body
  FROM posts p JOIN threads t ON t.id = p.thread_id;
--> statement-breakpoint
CREATE TRIGGER `search_posts_update` AFTER UPDATE OF `body`, `sections`, `answer`, `number`, `thread_id` ON `posts`
WHEN old.body IS NOT new.body OR old.sections IS NOT new.sections OR old.answer IS NOT new.answer OR old.number IS NOT new.number OR old.thread_id IS NOT new.thread_id BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc_id FROM search_docs WHERE post_id = new.id);
  INSERT INTO search_docs (post_id, hash, thread_id, number, author_id, created_at, state)
    SELECT v.post_id, lex_search_hash(v.title, v.head, v.body), v.thread_id, v.number, v.author_id, v.created_at, v.state
    FROM search_post_text v WHERE v.post_id = new.id
    ON CONFLICT (post_id) DO UPDATE SET hash = excluded.hash, thread_id = excluded.thread_id, number = excluded.number,
      author_id = excluded.author_id, created_at = excluded.created_at, state = excluded.state;
  INSERT INTO search_fts (rowid, title, head, body)
    SELECT d.doc_id, v.title, v.head, v.body FROM search_docs d JOIN search_post_text v ON v.post_id = d.post_id WHERE d.post_id = new.id;
  INSERT OR IGNORE INTO search_terms (term)
    SELECT j.value FROM search_post_text v, json_each(lex_terms(v.title, v.head || v.body)) j WHERE v.post_id = new.id;
END;
--> statement-breakpoint
-- Replies that already state facts are indexed again with them (as the trigger above would).
DELETE FROM search_fts WHERE rowid IN (SELECT d.doc_id FROM search_docs d JOIN posts p ON p.id = d.post_id WHERE p.answer IS NOT NULL);
--> statement-breakpoint
INSERT INTO search_docs (post_id, hash, thread_id, number, author_id, created_at, state)
  SELECT v.post_id, lex_search_hash(v.title, v.head, v.body), v.thread_id, v.number, v.author_id, v.created_at, v.state
  FROM search_post_text v JOIN posts p ON p.id = v.post_id WHERE p.answer IS NOT NULL
  ON CONFLICT (post_id) DO UPDATE SET hash = excluded.hash, thread_id = excluded.thread_id, number = excluded.number,
    author_id = excluded.author_id, created_at = excluded.created_at, state = excluded.state;
--> statement-breakpoint
INSERT INTO search_fts (rowid, title, head, body)
  SELECT d.doc_id, v.title, v.head, v.body FROM search_docs d JOIN search_post_text v ON v.post_id = d.post_id
  JOIN posts p ON p.id = d.post_id WHERE p.answer IS NOT NULL;
--> statement-breakpoint
INSERT OR IGNORE INTO search_terms (term)
  SELECT j.value FROM search_post_text v JOIN posts p ON p.id = v.post_id, json_each(lex_terms(v.title, v.head || v.body)) j
  WHERE p.answer IS NOT NULL;
