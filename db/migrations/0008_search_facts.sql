ALTER TABLE `search_docs` ADD `thread_id` text;--> statement-breakpoint
ALTER TABLE `search_docs` ADD `number` integer;--> statement-breakpoint
ALTER TABLE `search_docs` ADD `author_id` text;--> statement-breakpoint
ALTER TABLE `search_docs` ADD `created_at` integer;--> statement-breakpoint
ALTER TABLE `search_docs` ADD `state` text;
--> statement-breakpoint
-- Hand-written: the facts copied, for the posts that exist, and triggers that keep them.
UPDATE search_docs SET (thread_id, number, author_id, created_at, state) =
  (SELECT p.thread_id, p.number, p.author_id, p.created_at, p.state FROM posts p WHERE p.id = search_docs.post_id);
--> statement-breakpoint
DROP TRIGGER `search_posts_insert`;
--> statement-breakpoint
DROP TRIGGER `search_posts_update`;
--> statement-breakpoint
DROP TRIGGER `search_threads_title`;
--> statement-breakpoint
CREATE TRIGGER `search_posts_insert` AFTER INSERT ON `posts` BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc_id FROM search_docs WHERE post_id = new.id);
  INSERT INTO search_docs (post_id, hash, thread_id, number, author_id, created_at, state)
    SELECT p.id, lex_search_hash(case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end), p.thread_id, p.number, p.author_id, p.created_at, p.state
    FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = new.id
    ON CONFLICT (post_id) DO UPDATE SET hash = excluded.hash, thread_id = excluded.thread_id, number = excluded.number,
      author_id = excluded.author_id, created_at = excluded.created_at, state = excluded.state;
  INSERT INTO search_fts (rowid, title, head, body)
    SELECT d.doc_id, case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end
    FROM search_docs d JOIN posts p ON p.id = d.post_id JOIN threads t ON t.id = p.thread_id WHERE d.post_id = new.id;
  INSERT OR IGNORE INTO search_terms (term)
    SELECT j.value FROM posts p JOIN threads t ON t.id = p.thread_id, json_each(lex_terms(case when p.number = 1 then lex_fold(t.title) else '' end, lex_post_text(p.body, p.sections))) j WHERE p.id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_posts_update` AFTER UPDATE OF `body`, `sections`, `number`, `thread_id` ON `posts`
WHEN old.body IS NOT new.body OR old.sections IS NOT new.sections OR old.number IS NOT new.number OR old.thread_id IS NOT new.thread_id BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc_id FROM search_docs WHERE post_id = new.id);
  INSERT INTO search_docs (post_id, hash, thread_id, number, author_id, created_at, state)
    SELECT p.id, lex_search_hash(case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end), p.thread_id, p.number, p.author_id, p.created_at, p.state
    FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = new.id
    ON CONFLICT (post_id) DO UPDATE SET hash = excluded.hash, thread_id = excluded.thread_id, number = excluded.number,
      author_id = excluded.author_id, created_at = excluded.created_at, state = excluded.state;
  INSERT INTO search_fts (rowid, title, head, body)
    SELECT d.doc_id, case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end
    FROM search_docs d JOIN posts p ON p.id = d.post_id JOIN threads t ON t.id = p.thread_id WHERE d.post_id = new.id;
  INSERT OR IGNORE INTO search_terms (term)
    SELECT j.value FROM posts p JOIN threads t ON t.id = p.thread_id, json_each(lex_terms(case when p.number = 1 then lex_fold(t.title) else '' end, lex_post_text(p.body, p.sections))) j WHERE p.id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_threads_title` AFTER UPDATE OF `title` ON `threads` WHEN old.title IS NOT new.title BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc_id FROM search_docs WHERE post_id = (SELECT id FROM posts WHERE thread_id = new.id AND number = 1));
  INSERT INTO search_docs (post_id, hash, thread_id, number, author_id, created_at, state)
    SELECT p.id, lex_search_hash(case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end), p.thread_id, p.number, p.author_id, p.created_at, p.state
    FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = (SELECT id FROM posts WHERE thread_id = new.id AND number = 1)
    ON CONFLICT (post_id) DO UPDATE SET hash = excluded.hash, thread_id = excluded.thread_id, number = excluded.number,
      author_id = excluded.author_id, created_at = excluded.created_at, state = excluded.state;
  INSERT INTO search_fts (rowid, title, head, body)
    SELECT d.doc_id, case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end
    FROM search_docs d JOIN posts p ON p.id = d.post_id JOIN threads t ON t.id = p.thread_id WHERE d.post_id = (SELECT id FROM posts WHERE thread_id = new.id AND number = 1);
  INSERT OR IGNORE INTO search_terms (term)
    SELECT j.value FROM posts p JOIN threads t ON t.id = p.thread_id, json_each(lex_terms(case when p.number = 1 then lex_fold(t.title) else '' end, lex_post_text(p.body, p.sections))) j WHERE p.id = (SELECT id FROM posts WHERE thread_id = new.id AND number = 1);
END;
--> statement-breakpoint
-- Hiding, restoring and deleting change only the state a search reads.
CREATE TRIGGER `search_posts_state` AFTER UPDATE OF `state` ON `posts` WHEN old.state IS NOT new.state BEGIN
  UPDATE search_docs SET state = new.state WHERE post_id = new.id;
END;
