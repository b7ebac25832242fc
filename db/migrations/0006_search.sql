CREATE TABLE `search_docs` (
	`doc_id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`post_id` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_docs_post_id_unique` ON `search_docs` (`post_id`);
--> statement-breakpoint
-- Search (hand-written below drizzle-kit's output). An FTS5 table over folded text, without a
-- copy of the content (contentless; the rows can still be deleted), tokenized by unicode61 after
-- the fold of db/src/search-text.ts has run (lex_fold and lex_post_text, registered by createDb).
-- Columns: the thread's title and its opening post (on the opening post's row), replies.
CREATE VIRTUAL TABLE `search_fts` USING fts5(title, head, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_vocab` USING fts5vocab(search_fts, 'row');
--> statement-breakpoint
-- The index changes in the transaction of the post: a new post, an edit or redaction of its text,
-- a move to another thread or position, a thread's new title, a deleted row.
CREATE TRIGGER `search_posts_insert` AFTER INSERT ON `posts` BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc_id FROM search_docs WHERE post_id = new.id);
  INSERT INTO search_docs (post_id, hash)
    SELECT p.id, lex_search_hash(case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end)
    FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = new.id
    ON CONFLICT (post_id) DO UPDATE SET hash = excluded.hash;
  INSERT INTO search_fts (rowid, title, head, body)
    SELECT d.doc_id, case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end
    FROM search_docs d JOIN posts p ON p.id = d.post_id JOIN threads t ON t.id = p.thread_id WHERE d.post_id = new.id;
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
END;
--> statement-breakpoint
CREATE TRIGGER `search_posts_delete` AFTER DELETE ON `posts` BEGIN
  DELETE FROM search_fts WHERE rowid = (SELECT doc_id FROM search_docs WHERE post_id = old.id);
  DELETE FROM search_docs WHERE post_id = old.id;
END;
--> statement-breakpoint
-- The posts that exist, oldest first (document numbers follow the order posts were written).
INSERT INTO search_docs (post_id, hash)
  SELECT e.post_id, lex_search_hash(e.title, e.head, e.body) FROM (
    SELECT p.id AS post_id, p.created_at, p.rowid AS r, case when p.number = 1 then lex_fold(t.title) else '' end AS title, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end AS head, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end AS body
    FROM posts p JOIN threads t ON t.id = p.thread_id) e
  ORDER BY e.created_at, e.r;
--> statement-breakpoint
INSERT INTO search_fts (rowid, title, head, body)
  SELECT d.doc_id, case when p.number = 1 then lex_fold(t.title) else '' end, case when p.number = 1 then lex_post_text(p.body, p.sections) else '' end, case when p.number = 1 then '' else lex_post_text(p.body, p.sections) end
  FROM search_docs d JOIN posts p ON p.id = d.post_id JOIN threads t ON t.id = p.thread_id
  ORDER BY d.doc_id;
