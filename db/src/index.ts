export * from './client.js';
export * from './schema.js';
export { assignMissingUsernames, uniqueUsername, usernameBase } from './usernames.js';
export { seedReferenceData, seedDemoData, type DemoSeedOptions, type DemoSeedResult } from './seed/seed.js';
export { DEMO_THREADS, type DemoCook } from './seed/demo-threads.js';
export { DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TOTP_SECRET, type DemoPerson } from './seed/demo-data.js';
export * from './search-text.js';
export {
  checkSearchIndex,
  forgetSearchWords,
  rebuildSearchIndex,
  registerSearchFunctions,
  searchHash,
  type SearchCheckReport,
} from './search-index.js';
export { INSTRUMENTS, JURISDICTIONS, TOPICS } from './seed/reference-data.js';
export { REFERENCE_LOCALES, type ReferenceLocale } from './seed/reference-translations/index.js';
