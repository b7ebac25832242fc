import { openReadOnly } from '@lexforum/db';
import { parseQuery } from '../server/src/modules/search/query-parser.js';
import { runSearch, runTitleSearch } from '../server/src/modules/search/search-runner.js';
import { highlightTerms } from '../server/src/modules/search/query-parser.js';
const db = openReadOnly('/tmp/bench-1m/forum.db');
const none = { jurisdictions: [], topics: [], instruments: [], kind: null, authorId: null, afterMs: null, beforeMs: null, status: null, threadId: null };
function run(q: string, filters = {}) {
  const p = parseQuery(q);
  const job = { type: 'search' as const, query: p.clauses.length ? { clauses: p.clauses, excluded: p.excluded, inTitle: p.filters.inTitle } : null,
    filters: { ...none, ...filters }, scope: { role: 'member' as const }, sort: 'relevance' as const, offset: 0, limit: 20, highlight: highlightTerms(p), snippetsPerThread: 3, now: Date.now() };
  const times: number[] = []; let out;
  for (let i = 0; i < 4; i++) { const s = performance.now(); out = runSearch(db, job); times.push(performance.now() - s); }
  console.log(q.padEnd(40), JSON.stringify(filters).slice(0,40).padEnd(40), times.map((t) => t.toFixed(0)).join(' '), 'total', out!.total, out!.notice);
}
for (const q of process.argv.slice(2)) run(q);
run('medicrime'); run('ivory'); run('the'); run('"customs detention"'); run('falsi*'); run('co*'); run('contrefa*');
run('', { jurisdictions: ['KE'], kind: 'legal_analysis' });
run('medicrime', { jurisdictions: ['KE'], afterMs: Date.parse('2024-01-01') });
run('retention douaniere');
const s = performance.now(); const r = runTitleSearch(db, { type: 'similar', words: ['falsified', 'medicines', 'sold', 'online', 'in', 'kenya'], scope: { role: 'member' }, limit: 5, highlight: [] }); console.log('similar', (performance.now() - s).toFixed(0), r.length);
const s2 = performance.now(); const r2 = runTitleSearch(db, { type: 'suggest', words: ['falsif'], scope: { role: 'member' }, limit: 5, highlight: [] }); console.log('suggest', (performance.now() - s2).toFixed(0), r2.length);
