import Type from 'typebox';

export const JURISDICTION_KINDS = ['country', 'territory', 'regional', 'international'] as const;
export const INSTRUMENT_KINDS = ['convention', 'protocol', 'agreement', 'regulation', 'directive'] as const;

/**
 * A reference row's names in the other interface languages (`fr`, `es`, `ar`), where it has them.
 * Countries and territories have none: clients name them with `Intl.DisplayNames` from the code.
 */
const translated = <T extends Type.TSchema>(entry: T) =>
  Type.Object({ fr: Type.Optional(entry), es: Type.Optional(entry), ar: Type.Optional(entry) });

export const Jurisdiction = Type.Object({
  code: Type.String(),
  /** The English name. */
  name: Type.String(),
  kind: Type.Enum(JURISDICTION_KINDS),
  /** The English name of the group (a continent, "Regional bodies", "International"): clients word it. */
  region: Type.String(),
  translations: translated(Type.Object({ name: Type.String() })),
});
export type Jurisdiction = Type.Static<typeof Jurisdiction>;

export const Topic = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  translations: translated(Type.Object({ name: Type.String(), description: Type.String() })),
});
export type Topic = Type.Static<typeof Topic>;

export const Instrument = Type.Object({
  slug: Type.String(),
  shortName: Type.String(),
  title: Type.String(),
  year: Type.Integer(),
  kind: Type.Enum(INSTRUMENT_KINDS),
  body: Type.String(),
  translations: translated(Type.Object({ shortName: Type.String(), title: Type.String(), body: Type.String() })),
});
export type Instrument = Type.Static<typeof Instrument>;

export const JurisdictionList = Type.Object({ jurisdictions: Type.Array(Jurisdiction) });
export type JurisdictionList = Type.Static<typeof JurisdictionList>;
export const TopicList = Type.Object({ topics: Type.Array(Topic) });
export type TopicList = Type.Static<typeof TopicList>;
export const InstrumentList = Type.Object({ instruments: Type.Array(Instrument) });
export type InstrumentList = Type.Static<typeof InstrumentList>;
