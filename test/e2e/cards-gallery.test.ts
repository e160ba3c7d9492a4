import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGallery } from '../../src/cards/gallery/write.ts';
import { CARD_NAMES } from '../../src/cards/view-models.ts';
import { LOCALES } from '../../src/domain/programme/schema.ts';

/**
 * The card gallery in a real Chromium: every card in every locale is drawn by the official
 * Adaptive Cards renderer without an error, and screenshots land in test-results/cards/ for a
 * person to look at.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = resolve('test-results/cards');
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
/**
 * Outer limits, not expected durations. Every wait here is on an event or a condition (the page
 * marked rendered, a console message, a screenshot taken); Chromium drawing in software on a busy
 * 2-core machine can take many times what it takes alone, so each may take up to a minute.
 */
const STEP_LIMIT_MS = 60_000;
/** A test is a few steps (the screenshots a couple of dozen): a safeguard against a hang, far above a run's time. */
const TEST_LIMIT_MS = 300_000;

/** Serves dir's files, nothing outside it, on 127.0.0.1 at a free port. */
function serve(dir: string): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
  });
}

describe('card gallery in Chromium', { timeout: TEST_LIMIT_MS }, () => {
  let dir: string;
  let server: Server | undefined;
  let url: string;
  let browser: Browser | undefined;
  let page: Page;
  const problems: string[] = [];
  let cards = 0;

  /** Without a browser every test fails with this message (never skips): CI must install Chromium. */
  const missing = existsSync(CHROMIUM)
    ? undefined
    : `Chromium not found at ${CHROMIUM}. The card gallery test needs a real browser: install Debian's chromium ` +
      `(sudo apt-get install -y chromium; .ci/run does this) or set CHROMIUM_PATH to a Chromium/Chrome executable.`;
  const needsChromium = () => {
    if (missing) throw new Error(missing);
  };

  beforeAll(async () => {
    if (missing) return;
    dir = mkdtempSync(join(tmpdir(), 'cards-gallery-'));
    cards = writeGallery(dir).cards;
    ({ server, url } = await serve(dir));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    page.setDefaultTimeout(STEP_LIMIT_MS);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-rendered]', { state: 'attached' });
    mkdirSync(SHOTS, { recursive: true });
  }, TEST_LIMIT_MS);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, STEP_LIMIT_MS);

  it('draws every card in every locale with the official renderer', async () => {
    needsChromium();
    expect(cards).toBe(CARD_NAMES.length * LOCALES.length);
    expect(cards).toBe(CARD_NAMES.length * LOCALES.length);
    expect(await page.locator('body').getAttribute('data-rendered')).toBe(String(cards));
    const targets = await page
      .locator('.ac-target')
      .evaluateAll((els) => els.map((el) => ({ card: el.getAttribute('data-card'), locale: el.getAttribute('data-locale'), drawn: el.querySelector('.ac-adaptiveCard') !== null })));
    expect(targets).toHaveLength(CARD_NAMES.length * LOCALES.length);
    expect(targets.filter((t) => !t.drawn)).toEqual([]);
  });

  it('shows the cards’ words in each language', async () => {
    needsChromium();
    const prompt = page.locator('#card-practice-prompt-da .ac-target');
    await expect.poll(() => prompt.getByRole('button', { name: 'Udført', exact: true }).isVisible(), { timeout: STEP_LIMIT_MS }).toBe(true);
    expect(await page.locator('#card-practice-prompt-da .slack-text').textContent()).toContain('[ Udført ]');
    expect(await page.locator('#card-questionnaire-sv .ac-target').getByRole('button', { name: 'Skicka enkäten' }).isVisible()).toBe(true);
    expect(await page.locator('#card-summary-en .ac-target').getByText('9 of 12 have answered').isVisible()).toBe(true);
    expect(await page.locator('section#card-summary-en').getAttribute('lang')).toBe('en');
  });

  it('logs an action instead of failing when a button is pressed', async () => {
    needsChromium();
    const logged = page.waitForEvent('console', { predicate: (m) => m.type() === 'log' && m.text().includes('action skip') });
    await page.locator('#card-practice-prompt-da .ac-target').getByRole('button', { name: 'Spring over i dag' }).click();
    expect((await logged).text()).toContain('practice-prompt');
  });

  it('saves screenshots: each locale’s page and each Danish card', async () => {
    needsChromium();
    const filtered = await browser!.newPage({ viewport: { width: 1000, height: 900 } });
    filtered.setDefaultTimeout(STEP_LIMIT_MS);
    filtered.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error (filtered page): ${message.text()} (${message.location().url})`);
    });
    filtered.on('pageerror', (error) => problems.push(`page error (filtered page): ${error.message}`));
    for (const locale of LOCALES) {
      await filtered.goto(`${url}?locale=${locale}`);
      await filtered.waitForSelector('body[data-rendered]', { state: 'attached' });
      expect(await filtered.locator('section.card:visible').count()).toBe(CARD_NAMES.length);
      await filtered.screenshot({ path: join(SHOTS, `gallery-${locale}.png`), fullPage: true });
      // From the Danish page rather than the whole gallery: the same cards, on a page a third as tall,
      // which Chromium draws for each shot in about half the time.
      if (locale === 'da') {
        for (const name of CARD_NAMES) {
          await filtered.locator(`#card-${name}-da`).screenshot({ path: join(SHOTS, `${name}-da.png`) });
        }
      }
    }
    await filtered.close();
    for (const file of [...CARD_NAMES.map((n) => `${n}-da.png`), ...LOCALES.map((l) => `gallery-${l}.png`)]) {
      expect(existsSync(join(SHOTS, file)), file).toBe(true);
    }
  });

  it('has no console errors and no page errors', () => {
    needsChromium();
    expect(problems).toEqual([]);
  });
});
