/**
 * The bench dataset: a fresh, migrated database filled with members, threads and posts across the
 * reference data, written in a few big transactions through prepared statements. Counters and the
 * JSON copies of tags are computed here exactly as the server keeps them, so the server reads the
 * rows as it would its own (tests/bench/generate.test.ts checks that with the invariant helper).
 *
 * Alone: `npx -y pnpm@10.34.8 --filter @lexforum/tests run bench:generate --threads 10000 --posts 200000
 * --out /tmp/bench-data/forum.db` (it writes `forum.db.json` beside: what was generated, for
 * search-bench.ts). `--reindex --out <file>` times rebuildSearchIndex again on an existing dataset.
 */
import { createDb, migrate, rebuildSearchIndex, seedReferenceData } from '@lexforum/db';
import { ANALYSIS_SECTIONS, type AnalysisSectionKey } from '@lexforum/shared';
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { cookSections } from '../../server/src/modules/threads/cook.js';
import { analysisSections, cookParagraphs, pickLanguage, postBody, threadTitle } from './corpus.js';

export interface GenerateOptions {
  /** The database file; it and its -wal/-shm companions are replaced. */
  file: string;
  threads: number;
  posts: number;
  members: number;
  /** Posts of the one long thread (the thread page the bench reads). */
  longThreadPosts: number;
  /** The PRNG seed: the same options give the same dataset. */
  seed: number;
  now: Date;
}

export const BENCH_PASSWORD = 'bench passphrase for lexforum';

export interface GeneratedDataset {
  file: string;
  longThreadId: string;
  /** A member to sign in as. */
  member: { email: string; password: string };
  /** A post (the opener) of a thread of 1–3 posts: the one-post read. */
  shortPostId: string;
  /** Every thread of 20–50 posts, in a shuffled order: the thread pages the bench cycles through. */
  pageThreadIds: string[];
  /**
   * Up to ten other members (never `member`), each with at least ESTABLISHED_POSTS posts, so that
   * pre-moderation holds none of their replies whatever the setting: the reply bench's writers.
   */
  writers: { email: string; password: string }[];
  counts: { members: number; threads: number; posts: number; revisions: number; follows: number; reads: number };
  seed: number;
  bytes: number;
  /** The whole run, search index included. */
  ms: number;
  /** The search index: built once after the bulk load, by `rebuildSearchIndex` (see below). */
  search: SearchIndexBuild & ReturnType<typeof searchIndexBytes>;
}

export const DEFAULT_OPTIONS: Omit<GenerateOptions, 'file'> = {
  threads: 10_000,
  posts: 200_000,
  members: 200,
  longThreadPosts: 200,
  seed: 42,
  now: new Date(),
};

const DAY = 86_400_000;
/** The `premoderatedPosts` setting's maximum: a member with this many posts is never held for being new. */
export const ESTABLISHED_POSTS = 20; // Settings.premoderatedPosts in shared/src/vetting.ts
const KINDS = [
  ['discussion', 40],
  ['question', 30],
  ['case_note', 15],
  ['legal_analysis', 15],
] as const;
const PROFESSIONS = ['judge', 'prosecutor', 'investigating_magistrate', 'customs_officer', 'government_legal_adviser'];
/** Jurisdictions tagged most often, so that the usual filters match a realistic share of threads. */
const COMMON_JURISDICTIONS = ['INT', 'EU', 'FR', 'ES', 'DE', 'IT', 'NG', 'KE', 'ZA', 'BR', 'MX', 'IN', 'VN', 'US'];

/** mulberry32: small, fast and good enough to spread rows; seeded so runs are comparable. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const some = <T>(items: readonly T[], min: number, max: number): T[] => {
    const wanted = min + int(max - min + 1);
    const chosen = new Set<T>();
    while (chosen.size < Math.min(wanted, items.length)) chosen.add(pick(items));
    return [...chosen];
  };
  return { next, int, pick, some };
}

/** Posts per thread: one long thread, at least one post each, the rest spread with a long tail. */
function postCounts(o: GenerateOptions, rnd: ReturnType<typeof prng>): number[] {
  const cap = Math.max(1, o.longThreadPosts - 1);
  const counts = Array.from({ length: o.threads }, () => 1);
  counts[0] = o.longThreadPosts;
  let left = o.posts - o.longThreadPosts - (o.threads - 1);
  const weights = counts.map((_, i) => (i === 0 ? 0 : (-Math.log(1 - rnd.next())) ** 1.6));
  const total = weights.reduce((s, w) => s + w, 0) || 1;
  const share = left;
  for (let i = 1; i < o.threads && left > 0; i++) {
    const extra = Math.min(cap - 1, Math.floor((share * weights[i]!) / total), left);
    counts[i]! += extra;
    left -= extra;
  }
  while (left > 0) {
    const i = 1 + rnd.int(o.threads - 1);
    if (counts[i]! < cap) {
      counts[i]!++;
      left--;
    }
  }
  return counts;
}

export async function generateDataset(options: Partial<GenerateOptions> & { file: string }): Promise<GeneratedDataset> {
  const o: GenerateOptions = { ...DEFAULT_OPTIONS, ...options };
  if (o.threads < 1 || o.members < 2) throw new Error('need at least one thread and two members');
  if (o.posts < o.longThreadPosts + o.threads - 1) {
    throw new Error(`--posts must be at least ${o.longThreadPosts + o.threads - 1} (the long thread + one per thread)`);
  }
  if (o.posts > o.longThreadPosts + (o.threads - 1) * Math.max(1, o.longThreadPosts - 1)) {
    throw new Error('--posts is too many for that many threads: only the long thread may be that long');
  }
  const started = performance.now();
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${o.file}${suffix}`, { force: true });
  const handle = createDb(o.file);
  migrate(handle.db);
  seedReferenceData(handle.db);
  const { sqlite } = handle;
  // A throwaway file: no need to survive a power cut while filling it.
  sqlite.pragma('synchronous = OFF');
  // The search triggers are dropped for the bulk load and the index built once at the end by
  // rebuildSearchIndex, as `lexforum search-rebuild` does: that is the build time printed, and
  // documents are numbered oldest first as on a live forum (posts are inserted thread by thread
  // here, not in the order they were written).
  const searchTriggers = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'trigger' and name like 'search\\_%' escape '\\'`)
    .all() as { name: string; sql: string }[];
  for (const t of searchTriggers) sqlite.exec(`drop trigger ${t.name}`);

  const rnd = prng(o.seed);
  const codes = sqlite.prepare('select code from jurisdictions').pluck().all() as string[];
  const countries = sqlite.prepare("select code from jurisdictions where kind = 'country'").pluck().all() as string[];
  const topicSlugs = sqlite.prepare('select slug from topics').pluck().all() as string[];
  const instrumentSlugs = sqlite.prepare('select slug from instruments').pluck().all() as string[];

  // ---- Members ----
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const memberIds: string[] = [];
  const insertUser = sqlite.prepare(
    `insert into users (id, email, display_name, password_hash, role, status, profession, position, institution,
       jurisdiction_code, other_jurisdictions, languages, verified_at, created_at, updated_at)
     values (?, ?, ?, ?, 'member', 'active', ?, ?, ?, ?, '[]', '["en"]', ?, ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < o.members; i++) {
      const id = randomUUID();
      const joined = o.now.getTime() - (400 + rnd.int(400)) * DAY;
      insertUser.run(
        id,
        `member${i}@bench.example`,
        `Bench Member ${i}`,
        passwordHash,
        rnd.pick(PROFESSIONS),
        'Senior Counsel',
        `Institution ${i % 37}`,
        rnd.pick(countries),
        joined + DAY,
        joined,
        joined,
      );
      memberIds.push(id);
    }
  })();

  // ---- Threads, posts, revisions, follows, reads ----
  const insertThread = sqlite.prepare(
    `insert into threads (id, kind, title, author_id, jurisdictions, topics, citations, law_as_of, personal_capacity,
       post_count, participant_count, last_post_at, last_poster_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertJurisdiction = sqlite.prepare('insert into thread_jurisdictions (thread_id, code) values (?, ?)');
  const insertTopic = sqlite.prepare('insert into thread_topics (thread_id, slug) values (?, ?)');
  const insertInstrument = sqlite.prepare('insert into thread_instruments (thread_id, instrument) values (?, ?)');
  const insertPost = sqlite.prepare(
    `insert into posts (id, thread_id, number, parent_id, depth, author_id, body, sections, cooked, version,
       reply_count, created_at, edited_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRevision = sqlite.prepare(
    `insert into post_revisions (post_id, version, editor_id, reason, title, body, sections, cooked, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertFollow = sqlite.prepare(
    'insert or ignore into follows (user_id, target, key, created_at) values (?, ?, ?, ?)',
  );
  const insertRead = sqlite.prepare(
    'insert into thread_reads (user_id, thread_id, last_read_number, updated_at) values (?, ?, ?, ?)',
  );

  const counts = postCounts(o, rnd);
  let longThreadId = '';
  let revisionCount = 0;
  let followCount = 0;
  let readCount = 0;
  const batch = 500;
  for (let start = 0; start < o.threads; start += batch) {
    sqlite.transaction(() => {
      for (let ti = start; ti < Math.min(start + batch, o.threads); ti++) {
        const threadId = randomUUID();
        if (ti === 0) longThreadId = threadId;
        const n = counts[ti]!;
        const kind = ti === 0 ? 'discussion' : weighted(rnd, KINDS);
        const openedAt = o.now.getTime() - Math.floor(rnd.next() * 365 * DAY) - n * 60_000;
        const span = Math.floor((o.now.getTime() - openedAt) * (0.05 + 0.95 * rnd.next()));
        const times = [openedAt, ...Array.from({ length: n - 1 }, () => openedAt + Math.floor(rnd.next() * span))];
        times.sort((x, y) => x - y);

        // A few regulars per thread, and now and then someone new.
        const regulars = Array.from({ length: 2 + rnd.int(6) }, () => rnd.pick(memberIds));
        const authors = times.map((_, i) =>
          i === 0 ? regulars[0]! : rnd.next() < 0.15 ? rnd.pick(memberIds) : rnd.pick(regulars),
        );
        const ids = times.map(() => randomUUID());
        const parents: number[] = [-1];
        const depths = [0];
        const replyCounts = times.map(() => 0);
        for (let i = 1; i < n; i++) {
          let parentIndex = rnd.next() < 0.45 ? 0 : rnd.int(i);
          if (depths[parentIndex]! >= 6) parentIndex = 0;
          parents.push(parentIndex);
          depths.push(depths[parentIndex]! + 1);
          replyCounts[parentIndex]!++;
        }

        const tagged = new Set<string>(rnd.some(codes, 0, 1));
        if (rnd.next() < 0.7) for (const c of rnd.some(COMMON_JURISDICTIONS, 1, 2)) tagged.add(c);
        if (tagged.size === 0) tagged.add(rnd.pick(codes));
        const jurisdictions = [...tagged];
        const topics = rnd.some(topicSlugs, 1, 2);
        const citations = rnd.some(instrumentSlugs, 0, 3).flatMap((instrument) =>
          Array.from({ length: 1 + rnd.int(2) }, () => ({
            instrument,
            provision: rnd.next() < 0.8 ? `art. ${1 + rnd.int(60)}` : null,
          })),
        );
        const language = pickLanguage(rnd);
        const title = threadTitle(rnd, language);
        const last = n - 1;
        insertThread.run(
          threadId,
          kind,
          title,
          authors[0],
          JSON.stringify(jurisdictions),
          JSON.stringify(topics),
          JSON.stringify(citations),
          kind === 'legal_analysis' ? '2026-06-30' : null,
          kind === 'legal_analysis' ? 1 : 0,
          n,
          new Set(authors).size,
          times[last],
          authors[last],
          openedAt,
          openedAt,
        );
        for (const code of jurisdictions) insertJurisdiction.run(threadId, code);
        for (const slug of topics) insertTopic.run(threadId, slug);
        for (const instrument of new Set(citations.map((c) => c.instrument)))
          insertInstrument.run(threadId, instrument);

        const lastPostBy = new Map<string, number>();
        for (let i = 0; i < n; i++) {
          const analysis = i === 0 && kind === 'legal_analysis';
          // Mostly the thread's language; now and then a member answers in another.
          const postLanguage = rnd.next() < 0.85 ? language : pickLanguage(rnd);
          let body: string | null = null;
          let sections: string | null = null;
          let cooked: string;
          if (analysis) {
            const parts = analysisSections(rnd, postLanguage, ANALYSIS_SECTIONS) as Record<AnalysisSectionKey, string>;
            sections = JSON.stringify(parts);
            cooked = cookSections(parts).cooked;
          } else {
            body = postBody(rnd, postLanguage, i === 0);
            cooked = cookParagraphs(body);
          }
          // About one post in fifty edited once; its revision is the same text, as a typo fix.
          const edited = i > 0 && rnd.next() < 0.02;
          const editedAt = edited ? Math.min(o.now.getTime(), times[i]! + 600_000) : null;
          insertPost.run(
            ids[i],
            threadId,
            i + 1,
            i === 0 ? null : ids[parents[i]!],
            depths[i],
            authors[i],
            body,
            sections,
            cooked,
            edited ? 2 : 1,
            replyCounts[i],
            times[i],
            editedAt,
          );
          const title0 = i === 0 ? title : null;
          insertRevision.run(ids[i], 1, authors[i], null, title0, body, sections, cooked, times[i]);
          revisionCount++;
          if (edited) {
            insertRevision.run(ids[i], 2, authors[i], 'Typo', title0, body, sections, cooked, editedAt);
            revisionCount++;
          }
          if (insertFollow.run(authors[i], 'thread', threadId, times[i]).changes > 0) followCount++;
          lastPostBy.set(authors[i]!, i + 1);
        }
        // Each participant has read up to their own last post, so most threads show unread posts.
        for (const [userId, number] of lastPostBy) {
          insertRead.run(userId, threadId, number, times[number - 1]);
          readCount++;
        }
      }
    })();
  }

  // The bench member follows a few jurisdictions and topics, as members do.
  const member = memberIds[0]!;
  for (const [target, key] of [
    ['jurisdiction', 'FR'],
    ['jurisdiction', 'INT'],
    ['topic', 'medical-products'],
  ]) {
    if (insertFollow.run(member, target, key, o.now.getTime()).changes > 0) followCount++;
  }

  for (const t of searchTriggers) sqlite.exec(t.sql);
  const index = timedRebuild(sqlite);
  const picks = benchPicks(sqlite, rnd);

  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('analyze');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const sizes = searchIndexBytes(sqlite);
  handle.close();
  return {
    file: o.file,
    longThreadId,
    member: { email: 'member0@bench.example', password: BENCH_PASSWORD },
    ...picks,
    counts: {
      members: o.members,
      threads: o.threads,
      posts: o.posts,
      revisions: revisionCount,
      follows: followCount,
      reads: readCount,
    },
    seed: o.seed,
    bytes: statSync(o.file).size,
    ms: performance.now() - started,
    search: { ...index, ...sizes },
  };
}

/** What the speed bench reads and writes: see GeneratedDataset. */
function benchPicks(
  sqlite: Database.Database,
  rnd: ReturnType<typeof prng>,
): Pick<GeneratedDataset, 'shortPostId' | 'pageThreadIds' | 'writers'> {
  const shortPostId = sqlite
    .prepare(
      `select p.id from posts p join threads t on t.id = p.thread_id
        where t.post_count between 1 and 3 and t.kind = 'discussion' and p.number = 1
        order by t.created_at limit 1`,
    )
    .pluck()
    .get() as string | undefined;
  if (!shortPostId) throw new Error('the dataset has no discussion of 1–3 posts: generate more threads');
  const pageThreadIds = sqlite
    .prepare('select id from threads where post_count between 20 and 50 order by created_at')
    .pluck()
    .all() as string[];
  // Fisher–Yates with the dataset's PRNG: the same dataset gives the same order.
  for (let i = pageThreadIds.length - 1; i > 0; i--) {
    const j = rnd.int(i + 1);
    [pageThreadIds[i], pageThreadIds[j]] = [pageThreadIds[j]!, pageThreadIds[i]!];
  }
  const writers = (
    sqlite
      .prepare(
        `select u.email from users u
          where u.role = 'member' and u.status = 'active' and not u.under_review and u.email <> 'member0@bench.example'
            and (select count(*) from posts p where p.author_id = u.id) >= ?
          order by u.created_at limit 10`,
      )
      .pluck()
      .all(ESTABLISHED_POSTS) as string[]
  ).map((email) => ({ email, password: BENCH_PASSWORD }));
  return { shortPostId, pageThreadIds, writers };
}

export interface SearchIndexBuild {
  documents: number;
  /** Wall-clock time of rebuildSearchIndex over every post. */
  buildMs: number;
  /** CPU time of this process meanwhile (the build is synchronous: SQLite and the fold in JS). */
  buildCpuMs: number;
}

/** rebuildSearchIndex, timed by the clock and by this process's CPU (other load on the machine stretches the first). */
export function timedRebuild(sqlite: Database.Database): SearchIndexBuild {
  const cpu = process.cpuUsage();
  const { documents, ms } = rebuildSearchIndex(sqlite);
  const used = process.cpuUsage(cpu);
  return { documents, buildMs: ms, buildCpuMs: Math.round((used.user + used.system) / 1000) };
}

/**
 * Bytes on disk of the search index, from the `dbstat` virtual table (null where SQLite was built
 * without it): the FTS5 shadow tables (search_fts_*), search_docs with its indexes, and the other
 * search tables (search_terms). Summed per b-tree by name, which dbstat answers without reading
 * the whole file.
 */
export function searchIndexBytes(sqlite: Database.Database): {
  bytes: number | null;
  docsBytes: number | null;
  otherBytes: number | null;
} {
  try {
    const size = sqlite.prepare('select coalesce(sum(pgsize), 0) from dbstat where name = ?').pluck();
    const trees = sqlite
      .prepare(
        `select name, tbl_name as tableName from sqlite_master
          where type in ('table', 'index') and (name like 'search%' or tbl_name like 'search%')`,
      )
      .all() as { name: string; tableName: string }[];
    const sizes = { bytes: 0, docsBytes: 0, otherBytes: 0 };
    for (const { name, tableName } of trees) {
      const bytes = size.get(name) as number;
      if (name.startsWith('search_fts_')) sizes.bytes += bytes;
      else if (tableName === 'search_docs') sizes.docsBytes += bytes;
      else sizes.otherBytes += bytes;
    }
    return sizes;
  } catch {
    return { bytes: null, docsBytes: null, otherBytes: null };
  }
}

function weighted<T>(rnd: ReturnType<typeof prng>, items: readonly (readonly [T, number])[]): T {
  let r = rnd.next() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) if ((r -= w) < 0) return item;
  return items.at(-1)![0];
}

/** Command-line flags: `--threads 10000 --posts 200000 --members 200 --seed 42 --out file`. */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    flags[name] = inline ?? (argv[i + 1]?.startsWith('--') === false ? argv[++i]! : 'true');
  }
  return flags;
}

export function numberFlag(flags: Record<string, string>, name: string, fallback: number): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number, not ${raw}`);
  return value;
}

/** `--reindex`: times rebuildSearchIndex again on an existing dataset (`--out`), and updates its `.json`. */
function reindex(file: string): void {
  const handle = createDb(file);
  handle.sqlite.pragma('synchronous = OFF');
  const build = timedRebuild(handle.sqlite);
  handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  handle.close();
  if (existsSync(`${file}.json`)) {
    const saved = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as GeneratedDataset;
    writeFileSync(`${file}.json`, `${JSON.stringify({ ...saved, search: { ...saved.search, ...build } }, null, 2)}\n`);
  }
  process.stdout.write(
    `${file}: rebuildSearchIndex indexed ${build.documents} posts in ${(build.buildMs / 1000).toFixed(1)} s ` +
      `(CPU ${(build.buildCpuMs / 1000).toFixed(1)} s)\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flags = parseFlags(process.argv.slice(2));
  const file = flags['out'] ?? '/tmp/bench-data/forum.db';
  if (flags['reindex'] === 'true') {
    reindex(file);
    process.exit(0);
  }
  const result = await generateDataset({
    file,
    threads: numberFlag(flags, 'threads', DEFAULT_OPTIONS.threads),
    posts: numberFlag(flags, 'posts', DEFAULT_OPTIONS.posts),
    members: numberFlag(flags, 'members', DEFAULT_OPTIONS.members),
    longThreadPosts: numberFlag(flags, 'long-thread', DEFAULT_OPTIONS.longThreadPosts),
    seed: numberFlag(flags, 'seed', DEFAULT_OPTIONS.seed),
  });
  // Beside the database: what the search bench prints when it reuses this dataset.
  writeFileSync(`${file}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const { counts, search } = result;
  const mb = (bytes: number | null) => (bytes === null ? 'unknown (no dbstat)' : `${(bytes / 1e6).toFixed(0)} MB`);
  process.stdout.write(
    `${dirname(result.file)}: ${counts.threads} threads, ${counts.posts} posts, ${counts.revisions} revisions, ` +
      `${counts.members} members, ${(result.bytes / 1e6).toFixed(0)} MB in ${(result.ms / 1000).toFixed(1)} s\n` +
      `  database ${result.file}\n  long thread ${result.longThreadId}\n` +
      `  sign in as ${result.member.email} / ${result.member.password}\n` +
      `  search index: ${search.documents} documents built by rebuildSearchIndex in ${(search.buildMs / 1000).toFixed(1)} s ` +
      `(CPU ${(search.buildCpuMs / 1000).toFixed(1)} s; included above); FTS5 ${mb(search.bytes)}, search_docs ` +
      `${mb(search.docsBytes)}, other search tables ${mb(search.otherBytes)}\n` +
      `  peak RSS of the generator ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
  );
}
