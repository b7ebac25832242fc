import { instruments, jurisdictions, topics, type DbOrTx } from '@lexforum/db';
import type { Instrument, Jurisdiction, Topic } from '@lexforum/shared';

/**
 * Reference data changes only at boot (the seed), so it is read once and served from memory.
 * `reload()` is called after seeding.
 */
export class ReferenceRepository {
  private cache: { jurisdictions: Jurisdiction[]; topics: Topic[]; instruments: Instrument[] } | undefined;
  private names = new Map<string, string>();

  constructor(private readonly db: DbOrTx) {}

  reload(): void {
    const j = this.db
      .select({
        code: jurisdictions.code,
        name: jurisdictions.name,
        kind: jurisdictions.kind,
        region: jurisdictions.region,
        translations: jurisdictions.translations,
      })
      .from(jurisdictions)
      .orderBy(jurisdictions.sortOrder)
      .all();
    const t = this.db
      .select({
        slug: topics.slug,
        name: topics.name,
        description: topics.description,
        translations: topics.translations,
      })
      .from(topics)
      .orderBy(topics.sortOrder)
      .all();
    const i = this.db
      .select({
        slug: instruments.slug,
        shortName: instruments.shortName,
        title: instruments.title,
        year: instruments.year,
        kind: instruments.kind,
        body: instruments.body,
        translations: instruments.translations,
      })
      .from(instruments)
      .orderBy(instruments.sortOrder)
      .all();
    // The JSON column is loosely typed (any locale, any field); the response schema keeps the
    // three locales and their fields, and the seed test checks every entry is complete.
    this.cache = {
      jurisdictions: j as Jurisdiction[],
      topics: t as Topic[],
      instruments: i as Instrument[],
    };
    this.names = new Map(j.map((row) => [row.code, row.name]));
  }

  private get data() {
    if (!this.cache) this.reload();
    return this.cache!;
  }

  listJurisdictions(): Jurisdiction[] {
    return this.data.jurisdictions;
  }

  listTopics(): Topic[] {
    return this.data.topics;
  }

  listInstruments(): Instrument[] {
    return this.data.instruments;
  }

  jurisdictionName = (code: string): string | null => {
    if (!this.cache) this.reload();
    return this.names.get(code) ?? null;
  };
}
