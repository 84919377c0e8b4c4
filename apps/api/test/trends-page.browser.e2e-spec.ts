import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@app/common';
import { createOrganization, signUp } from './support/actors';
import { insertSnapshots } from './support/snapshots';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The shared trends page in a real browser: headless Chromium (Debian's `chromium` package, or
 * CHROMIUM_PATH), driven by puppeteer-core, loads it with no login; the charts render, nothing
 * logs an error, and a screenshot and a PDF print go to test-output/. Without a browser this one
 * test is skipped, saying how to get one (CI installs it: .ci/run).
 */
// CHROMIUM_PATH, when set, is the only candidate (so a run can also opt out of the browser).
const CANDIDATES = process.env.CHROMIUM_PATH
  ? [process.env.CHROMIUM_PATH]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const chromium = CANDIDATES.find((path) => existsSync(path));
const SKIP_REASON =
  `SKIPPED: no Chromium found (looked at ${CANDIDATES.join(', ')}); ` +
  'install it with `apt-get install -y chromium`, or set CHROMIUM_PATH';
if (!chromium) console.warn(`trends page browser test ${SKIP_REASON}`);

describe('the shared trends page in headless Chromium', () => {
  let testApp: TestApp | undefined;
  afterAll(() => testApp?.close());

  (chromium ? it : it.skip)(
    chromium
      ? 'loads with no login, draws its charts as SVG, logs no error, and is screenshotted and printed'
      : `loads and draws its charts (${SKIP_REASON})`,
    async () => {
      const app = (testApp = await startTestApp());
      const owner = await signUp(app);
      const organizationId = await createOrganization(app, owner);
      const org = `/v1/organizations/${organizationId}`;
      const teamIds: string[] = [];
      for (const name of ['Payments ML', 'Search Ranking', '=HYPERLINK("x")']) {
        const slug = `t${teamIds.length}`;
        teamIds.push(
          (await app.http().post(`${org}/teams`).set(owner.auth).send({ name, slug }).expect(201))
            .body.id,
        );
      }
      await insertSnapshots(
        app,
        organizationId,
        teamIds.flatMap((teamId, team) =>
          [0, 1, 2, 3, 4, 5].flatMap((month) =>
            ['testing', 'monitoring', null].map((dimensionKey) => ({
              teamId,
              dimensionKey,
              score: Math.min(3, 0.4 * month + team * 0.3),
              level: Math.min(3, Math.floor(0.4 * month + team * 0.3)),
              recordedAt: new Date(Date.UTC(2026, month, 10)).toISOString(),
            })),
          ),
        ),
      );
      const link = await app
        .http()
        .post(`${org}/report-links`)
        .set(owner.auth)
        .send({
          report: 'trends',
          parameters: { from: '2026-01-01T00:00:00Z', to: '2026-07-01T00:00:00Z' },
          expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        })
        .expect(201);
      await app.app.listen(0, '127.0.0.1');
      const base = await app.app.getUrl();

      const { default: puppeteer } = await import('puppeteer-core');
      const browser = await puppeteer.launch({
        executablePath: chromium,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(String(error)));
        page.on('requestfailed', (request) => errors.push(`failed: ${request.url()}`));
        await page.setViewport({ width: 900, height: 1200 });
        const response = await page.goto(`${base}/v1/shared-reports/${link.body.token}`, {
          waitUntil: 'load',
        });
        expect(response?.status()).toBe(200);
        expect(await page.title()).toMatch(/MLOps maturity trends/);
        // Two inline SVG documents (the charts and the heatmap), with lines and cells drawn.
        expect(await page.$$eval('figure > svg', (svgs) => svgs.length)).toBe(2);
        const drawn = await page.$$eval('path.series', (paths) =>
          paths.map(
            (path) => (path as unknown as { getBBox(): { width: number } }).getBBox().width,
          ),
        );
        expect(drawn.length).toBe(3 * 4); // 3 charts x (3 teams + organization mean)
        expect(drawn.every((width) => width > 100)).toBe(true);
        expect(await page.$$eval('rect.cell', (cells) => cells.length)).toBe(3 * 2);
        expect(await page.$eval('body', (body) => body.innerText)).toContain('=HYPERLINK("x")');
        expect(errors).toEqual([]);

        const out = join(projectRoot(), 'test-output');
        mkdirSync(out, { recursive: true });
        const screenshot = join(out, 'trends-page.png');
        await page.screenshot({ path: screenshot, fullPage: true });
        expect(statSync(screenshot).size).toBeGreaterThan(10_000);
        await page.emulateMediaType('print');
        const pdf = join(out, 'trends-page.pdf');
        await page.pdf({ path: pdf, format: 'A4', printBackground: true });
        expect(statSync(pdf).size).toBeGreaterThan(10_000);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
