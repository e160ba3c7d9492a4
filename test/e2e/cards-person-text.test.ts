import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GalleryEntry, galleryHtml } from '../../src/cards/gallery/html.ts';
import { renderAdaptiveCard, renderSlackCard } from '../../src/cards/render.ts';
import { sampleData } from '../../src/cards/samples.ts';
import { slackAsText } from '../../src/cards/slack/as-text.ts';
import type { SlackCard } from '../../src/cards/slack/from-adaptive.ts';
import type { CardName } from '../../src/cards/view-models.ts';

/**
 * A person's words drawn by the official Adaptive Cards renderer in a real Chromium, with the
 * gallery's Markdown (the subset Teams shows): no link, image or emphasis comes out of them, and
 * the words are on the card as written. A control card with the same words in a plain TextBlock
 * shows that the page would draw the link if there were one.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP_LIMIT_MS = 60_000;
const TEST_LIMIT_MS = 300_000;

const WRITTEN = '[Klik her](https://evil.example/login) ![x](https://evil.example/p.png) <!channel> @everyone <b>fed</b> **fed** *skrå* _kursiv_';

type Json = Record<string, unknown>;
const CASES: Array<[CardName, unknown]> = [
  ['summary', { ...sampleData('summary', 'da'), themes: [WRITTEN], items: [{ id: 'fritekst', text: 'Hvad har du brug for?', answers: [WRITTEN] }] }],
  ['answered', { ...sampleData('answered', 'da'), answers: [{ label: 'Note', value: WRITTEN }] }],
  ['sparring-agenda', { ...sampleData('sparring-agenda', 'da'), leaderQuestions: [WRITTEN], posted: true }],
  ['pre-visit-sent', { ...sampleData('pre-visit-sent', 'da'), guideName: WRITTEN }],
  ['pre-visit-form', { ...sampleData('pre-visit-form', 'da'), guideName: WRITTEN }],
  ['welcome', { ...sampleData('welcome', 'da'), teamName: WRITTEN }],
];

function entry(name: string, adaptive: object, slack: SlackCard): GalleryEntry {
  return { name, locale: 'da', adaptive, slack, slackText: slackAsText(slack) };
}

describe('a person’s words in Chromium', { timeout: TEST_LIMIT_MS }, () => {
  let dir: string;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let url: string;
  const problems: string[] = [];

  const missing = existsSync(CHROMIUM) ? undefined : `Chromium not found at ${CHROMIUM}: install chromium or set CHROMIUM_PATH.`;

  beforeAll(async () => {
    if (missing) return;
    dir = mkdtempSync(join(tmpdir(), 'cards-person-text-'));
    const entries = CASES.map(([name, data]) => entry(name, renderAdaptiveCard(name, data, { locale: 'da' }), renderSlackCard(name, data, { locale: 'da' })));
    const control = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: WRITTEN, wrap: true }] };
    entries.push(entry('control', control, { text: 'control', blocks: [], modals: {} }));
    writeFileSync(join(dir, 'index.html'), galleryHtml(entries, { scriptSrc: 'adaptivecards.min.js', title: 'person text' }));
    copyFileSync(join(dirname(createRequire(import.meta.url).resolve('adaptivecards/package.json')), 'dist', 'adaptivecards.min.js'), join(dir, 'adaptivecards.min.js'));
    server = createServer((req, res) => {
      const file = join(dir, new URL(req.url ?? '/', 'http://x').pathname === '/' ? 'index.html' : 'adaptivecards.min.js');
      res.writeHead(200, { 'content-type': file.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript' }).end(readFileSync(file));
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, TEST_LIMIT_MS);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, STEP_LIMIT_MS);

  it('draws no link, image or emphasis from them, and shows them as written', async () => {
    if (missing) throw new Error(missing);
    const page = await browser!.newPage();
    page.setDefaultTimeout(STEP_LIMIT_MS);
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('body[data-rendered]', { state: 'attached' });
    const drawn = await page.locator('.ac-target').evaluateAll((targets) =>
      targets.map((target) => ({
        card: target.getAttribute('data-card'),
        links: target.querySelectorAll('a[href*="evil.example"]').length,
        images: target.querySelectorAll('img[src*="evil.example"]').length,
        emphasis: [...target.querySelectorAll('strong, em, b, i')].map((e) => e.textContent).filter((t) => /fed|skrå|kursiv|Klik/.test(t ?? '')),
        text: (target as HTMLElement).innerText,
      })),
    );
    await page.close();
    expect(problems).toEqual([]);
    const control = drawn.find((d) => d.card === 'control') as Json;
    expect(control['links']).toBeGreaterThan(0); // the page does draw links from Markdown in a TextBlock
    for (const card of drawn.filter((d) => d.card !== 'control')) {
      expect({ card: card.card, links: card.links, images: card.images, emphasis: card.emphasis }).toEqual({ card: card.card, links: 0, images: 0, emphasis: [] });
      expect(card.text.replace(/\s+/g, ' '), String(card.card)).toContain(WRITTEN);
    }
  });
});
