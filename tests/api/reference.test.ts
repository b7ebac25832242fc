import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';

describe('Reference API', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await buildTestApp();
    cookie = await t.loginAs(await t.createUser({ role: 'applicant' }));
  });
  afterAll(async () => t.close());

  const get = (url: string, c: string | null = cookie) =>
    t.request({ method: 'GET', url, ...(c ? { cookie: c } : {}) });

  it('lists every ISO 3166-1 country and territory, the regional bodies and INT', async () => {
    const { jurisdictions } = (await get('/api/reference/jurisdictions')).json();
    const iso = jurisdictions.filter((j: { kind: string }) => j.kind === 'country' || j.kind === 'territory');
    for (const j of iso) expect(j.code).toMatch(/^[A-Z]{2}$/);
    expect(iso).toHaveLength(249);
    const codes = new Set(jurisdictions.map((j: { code: string }) => j.code));
    expect(codes.size).toBe(jurisdictions.length);
    for (const code of [
      'KE',
      'NG',
      'FR',
      'BR',
      'VN',
      'HK',
      'PR',
      'AQ',
      'PS',
      'EU',
      'COE',
      'ECOWAS',
      'AFU',
      'AU',
      'ASEAN',
      'OAS',
      'CARICOM',
      'SADC',
      'EAC',
      'GCC',
      'CAN',
      'MERCOSUR',
      'INT',
    ]) {
      expect(codes, code).toContain(code);
    }
    expect(jurisdictions.find((j: { code: string }) => j.code === 'INT')).toMatchObject({ kind: 'international' });
    expect(jurisdictions.find((j: { code: string }) => j.code === 'EU')).toMatchObject({ kind: 'regional' });
  });

  it('lists the crime areas', async () => {
    const { topics } = (await get('/api/reference/topics')).json();
    const names = topics.map((x: { name: string }) => x.name.toLowerCase()).join(' | ');
    for (const word of [
      'medical',
      'tobacco',
      'alcohol',
      'pesticide',
      'fuel',
      'food',
      'trademark',
      'piracy',
      'wildlife',
      'cultural',
      'firearms',
      'waste',
      'ozone',
      'money laundering',
      'e-commerce',
      'free trade',
      'corruption',
    ]) {
      expect(names).toContain(word);
    }
  });

  it('lists the legal instruments with short name, title, year and kind', async () => {
    const { instruments } = (await get('/api/reference/instruments')).json();
    expect(instruments.length).toBeGreaterThanOrEqual(20);
    const byYear = (y: number) =>
      instruments
        .filter((i: { year: number }) => i.year === y)
        .map((i: { shortName: string; title: string }) => `${i.shortName} ${i.title}`)
        .join(' ');
    expect(byYear(2000)).toMatch(/UNTOC/);
    expect(byYear(2011)).toMatch(/Medicrime/i);
    expect(byYear(2012)).toMatch(/Tobacco/);
    expect(byYear(1994)).toMatch(/TRIPS/);
    expect(byYear(1973)).toMatch(/CITES/);
    expect(byYear(2013)).toMatch(/608\/2013/);
    for (const i of instruments) {
      expect(i).toEqual({
        slug: expect.any(String),
        shortName: expect.any(String),
        title: expect.any(String),
        year: expect.any(Number),
        kind: expect.any(String),
        body: expect.any(String),
        // The official names in French, Spanish and Arabic (db/src/seed/reference-translations).
        translations: expect.any(Object),
      });
    }
  });

  it('refuses visitors without a session', async () => {
    for (const url of ['/api/reference/jurisdictions', '/api/reference/topics', '/api/reference/instruments']) {
      expect((await get(url, null)).statusCode).toBe(401);
    }
  });
});
