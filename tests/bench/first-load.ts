/**
 * The web client's first load, part of `pnpm bench`: Chromium (playwright-core, /usr/bin/chromium
 * or CHROMIUM_PATH, headless) with an empty cache and the network throttled over CDP
 * (Network.emulateNetworkConditions: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency) loads the
 * sign-in page, then, signed in, the home page, from the bench server (which serves web/dist).
 * Prints bytes on the wire (the sum of CDP's encodedDataLength: headers and bodies as sent, so
 * compression shows), the number of requests and their content encodings, first paint and first
 * contentful paint (performance.getEntriesByType('paint')) and the load event, counted from the
 * start of navigation. Chromium sends Accept-Encoding as a browser does. Asserts nothing.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from '../helpers/process.js';
import { table } from './report.js';

export interface FirstLoadOptions {
  origin: string;
  /** A member's session cookie (`name=value`), for the signed-in page. */
  cookie: string;
  print: (line?: string) => void;
}

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** The throttled network, as CDP takes it: bytes per second and milliseconds. */
export const THROTTLE = {
  offline: false,
  latency: 150,
  downloadThroughput: 1_600_000 / 8,
  uploadThroughput: 750_000 / 8,
};

export async function runFirstLoad(o: FirstLoadOptions): Promise<void> {
  o.print();
  if (!existsSync(join(repoRoot, 'web/dist/index.html'))) {
    o.print(
      'First load: skipped, web/dist is missing (the server serves no client). Build it first: ' +
        'npx -y pnpm@10.34.8 --filter @lexforum/web build',
    );
    return;
  }
  if (!existsSync(CHROMIUM)) {
    o.print(`First load: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).`);
    return;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const rows: string[][] = [];
  try {
    const [name, value] = o.cookie.split(/=(.*)/s) as [string, string];
    for (const target of [
      { name: 'sign-in page', path: '/sign-in', signedIn: false },
      { name: 'home, signed in', path: '/', signedIn: true },
    ]) {
      const context = await browser.newContext();
      if (target.signedIn) await context.addCookies([{ name, value, url: o.origin }]);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', THROTTLE);
      let bytes = 0;
      let requests = 0;
      const encodings = new Map<string, number>();
      cdp.on('Network.requestWillBeSent', () => requests++);
      cdp.on('Network.loadingFinished', (e) => (bytes += e.encodedDataLength));
      cdp.on('Network.responseReceived', (e) => {
        const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
        const encoding = headers['content-encoding'] ?? 'none';
        encodings.set(encoding, (encodings.get(encoding) ?? 0) + 1);
      });
      await page.goto(`${o.origin}${target.path}`, { waitUntil: 'load', timeout: 120_000 });
      // The client's own API requests after load belong to the first load too.
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      const timing = await page.evaluate(() => {
        const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        return { fp: paint['first-paint'], fcp: paint['first-contentful-paint'], load: nav?.loadEventEnd };
      });
      const s = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(2));
      rows.push([
        `${target.name} (${target.path})`,
        (bytes / 1024).toFixed(1),
        String(requests),
        [...encodings].map(([e, n]) => `${e}×${n}`).join(' '),
        s(timing.fp),
        s(timing.fcp),
        s(timing.load),
        page.url().replace(o.origin, ''),
      ]);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const built = statSync(join(repoRoot, 'web/dist/index.html')).mtime.toISOString();
  o.print(
    'First load of the web client: Chromium, empty cache, 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency ' +
      `(times from the start of navigation; bytes on the wire until the network is idle); web/dist built ${built}.`,
  );
  o.print(
    table(['page', 'KiB on the wire', 'requests', 'encodings', 'first paint s', 'FCP s', 'load s', 'ended at'], rows),
  );
}
