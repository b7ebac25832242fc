import { openReadOnly } from '@lexforum/db';
const db = openReadOnly('/tmp/bench-1m/forum.db');
function t(label: string, sql: string, ...a: unknown[]) { const st = db.prepare(sql); const times: string[] = []; let n = 0; for (let k = 0; k < 4; k++) { const s = performance.now(); n = st.all(...a).length; times.push((performance.now() - s).toFixed(0)); } console.log(label.padEnd(30), times.join(' '), n); }
const inner = (lim: number) => `select search_fts.rowid as doc_id, bm25(search_fts, 8, 3, 1) as score from search_fts where search_fts match ? order by search_fts.rowid desc limit ${lim}`;
for (const lim of [3000, 1000]) {
  t('fts only ' + lim, inner(lim), '"ivory"');
  t('fts+docs ' + lim, `select p.post_id, p.created_at, p.state from (${inner(lim)}) c join search_docs p on p.doc_id = c.doc_id`, '"ivory"');
  t('fts+docs+threads ' + lim, `select p.post_id, t.jurisdictions, t.topics, t.citations from (${inner(lim)}) c join search_docs p on p.doc_id = c.doc_id join threads t on t.id = p.thread_id where p.state='visible' and t.state='visible'`, '"ivory"');
}
t('exact count ivory', `select count(*) from (select rowid from search_fts where search_fts match ? limit 8001)`, '"ivory"');
t('exact bm25 5000', `select rowid, bm25(search_fts,8,3,1) from search_fts where search_fts match ? limit 5000`, '"ivory"');
