/**
 * The built forum on an ephemeral port with the demo dataset seeded, as a non-production boot of
 * server.ts would have it: for screens that need a realistic amount of content (the design test,
 * the screenshot script).
 */
import { DEMO_PASSWORD, seedDemoData, type DbHandle } from '@lexforum/db';
import type { App } from '@lexforum/server';
import { hashPassword } from '../../server/src/modules/auth/password.js';
import { cookMarkdown, cookSections, excerptOf } from '../../server/src/modules/threads/cook.js';
import { fillMissingNameSkeletons } from '../../server/src/lib/names/name-rules.js';
import { startForum } from './browser.js';

export { DEMO_PASSWORD };

export async function startDemoForum(): Promise<{ app: App; handle: DbHandle; origin: string }> {
  const forum = await startForum();
  const seeded = await seedDemoData(forum.app.db, hashPassword, {
    cook: { markdown: cookMarkdown, sections: cookSections, excerpt: excerptOf },
    now: forum.app.clock.now(),
  });
  if (!seeded.seeded) throw new Error('the demo data was not seeded');
  fillMissingNameSkeletons(forum.app.db);
  return forum;
}

/** Ids of demo threads worth a screenshot or a test: the legal analysis with sections, the busiest other thread. */
export function demoThreadIds(handle: DbHandle): { analysis: string; busiest: string } {
  const analysis = handle.sqlite
    .prepare(
      `select t.id from threads t join posts p on p.thread_id = t.id and p.number = 1
       where t.kind = 'legal_analysis' and p.sections is not null order by t.created_at limit 1`,
    )
    .get() as { id: string };
  const busiest = handle.sqlite
    .prepare(`select id from threads where kind <> 'legal_analysis' order by post_count desc limit 1`)
    .get() as { id: string };
  return { analysis: analysis.id, busiest: busiest.id };
}
