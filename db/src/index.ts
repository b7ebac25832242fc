export * from './client.js';
export * from './schema.js';
export { seedReferenceData, seedDemoData, type DemoSeedResult } from './seed/seed.js';
export { DEMO_PASSWORD, DEMO_PEOPLE, type DemoPerson } from './seed/demo-data.js';
