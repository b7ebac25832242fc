-- Search terms (hand-written): every word the index has ever held, so that a prefix (`falsif*`) is
-- searched as the OR of the words it opens, which FTS5 reads newest first and stops, instead of
-- FTS5's own prefix query, which merges the whole lists of every such word before answering
-- (tens to hundreds of milliseconds at a million posts). Words are never removed: a word no post
-- holds any more matches nothing. The index triggers of 0006 are replaced by the same ones adding
-- the words of the text they index (lex_terms, registered by createDb).
CREATE TABLE `search_terms` (`term` text PRIMARY KEY NOT NULL) WITHOUT ROWID;
--> statement-breakpoint
INSERT OR IGNORE INTO search_terms (term) SELECT term FROM search_vocab;
--> statement-breakpoint
DROP TRIGGER `search_posts_insert`;
--> statement-breakpoint
DROP TRIGGER `search_posts_update`;
--> statement-breakpoint
DROP TRIGGER `search_threads_title`;
--> statement-breakpoint
CREATE TRIGGER `search_posts_insert` AFTER INSERT ON `posts` BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc_id FROM search_docs WHERE post_id = new.id);
  INSERT INTO search_docs (post_id, hash)
    SELECT p.id, lex_search_hash(case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end)
    FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = new.id
    ON CONFLICT (post_id) DO UPDATE SET hash = excluded.hash;
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
  INSERT INTO search_docs (post_id, hash)
    SELECT p.id, lex_search_hash(case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end)
    FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = new.id
    ON CONFLICT (post_id) DO UPDATE SET hash = excluded.hash;
  INSERT INTO search_fts (rowid, title, head, body)
    SELECT d.doc_id, case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end
    FROM search_docs d JOIN posts p ON p.id = d.post_id JOIN threads t ON t.id = p.thread_id WHERE d.post_id = new.id;
  INSERT OR IGNORE INTO search_terms (term)
    SELECT j.value FROM posts p JOIN threads t ON t.id = p.thread_id, json_each(lex_terms(case when p.number = 1 then lex_fold(t.title) else '' end, lex_post_text(p.body, p.sections))) j WHERE p.id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_threads_title` AFTER UPDATE OF `title` ON `threads` WHEN old.title IS NOT new.title BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc_id FROM search_docs WHERE post_id = (SELECT id FROM posts WHERE thread_id = new.id AND number = 1));
  INSERT INTO search_docs (post_id, hash)
    SELECT p.id, lex_search_hash(case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end)
    FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = (SELECT id FROM posts WHERE thread_id = new.id AND number = 1)
    ON CONFLICT (post_id) DO UPDATE SET hash = excluded.hash;
  INSERT INTO search_fts (rowid, title, head, body)
    SELECT d.doc_id, case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end
    FROM search_docs d JOIN posts p ON p.id = d.post_id JOIN threads t ON t.id = p.thread_id WHERE d.post_id = (SELECT id FROM posts WHERE thread_id = new.id AND number = 1);
  INSERT OR IGNORE INTO search_terms (term)
    SELECT j.value FROM posts p JOIN threads t ON t.id = p.thread_id, json_each(lex_terms(case when p.number = 1 then lex_fold(t.title) else '' end, lex_post_text(p.body, p.sections))) j WHERE p.id = (SELECT id FROM posts WHERE thread_id = new.id AND number = 1);
END;
