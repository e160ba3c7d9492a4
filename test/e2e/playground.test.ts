import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlaygroundServer as startPlayground } from '../support/playground-server.ts';

/**
 * The local playground in a real Chromium, as a person uses it: the real server (page, API, demo
 * seeding, scheduler, delivery) on a demo clock, the page drawing the cards with the official
 * Adaptive Cards renderer. One story in order: an øvebane done, the leader's agenda posted, the
 * second questionnaire answered by two staff and its summary in the channel. Screenshots land in
 * test-results/playground/.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = resolve('test-results/playground');
/**
 * Outer limits, not expected durations. Every wait here is on an event or a condition (the page
 * marked ready, a text drawn, the page's own poll bringing a message); Chromium drawing in software
 * on a busy 2-core machine can take many times what it takes alone, so each may take up to a minute.
 */
const STEP_LIMIT_MS = 60_000;
/** A test is a handful of such steps: a safeguard against a hang, far above a run's time. */
const TEST_LIMIT_MS = 300_000;

interface Message {
  id: string;
  at: string;
  card: { body?: unknown[]; actions?: Array<{ verb?: string; title?: string; data?: { card?: string; ref?: { activityId: string; occurrenceId: string } } }> };
}
interface State {
  now: string;
  me: { userId: string };
  chat: Message[];
  channel: Message[];
}

const hasActivity = (message: Message, activityId: string) => (message.card.actions ?? []).some((a) => a.data?.ref?.activityId === activityId);
const says = (message: Message, text: string) => JSON.stringify(message.card).includes(text);

describe('playground in Chromium', { timeout: TEST_LIMIT_MS }, () => {
  let dir: string | undefined;
  let playground: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const problems: string[] = [];

  /** Without a browser every test fails with this message (never skips): CI must install Chromium. */
  const missing = existsSync(CHROMIUM)
    ? undefined
    : `Chromium not found at ${CHROMIUM}. The playground test needs a real browser: install Debian's chromium ` +
      `(sudo apt-get install -y chromium; .ci/run does this) or set CHROMIUM_PATH to a Chromium/Chrome executable.`;
  const needsChromium = () => {
    if (missing) throw new Error(missing);
  };

  /** The playground's JSON API from Node, as the page calls it. */
  async function api<T>(path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(`playground/api${path}`, playground!.url), {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  }
  const state = (as: string) => api<State>(`/state?as=${encodeURIComponent(as)}`);

  /** Steps the demo clock to the next occurrence until `done(state)`; fails after `max` steps. */
  async function stepUntil(as: string, done: (s: State) => boolean, what: string, max = 400): Promise<State> {
    let current = await state(as);
    for (let steps = 0; !done(current); steps++) {
      if (steps >= max) throw new Error(`${what}: not there after ${max} steps to the next occurrence (demo clock at ${current.now})`);
      current = (await api<{ state: State }>('/clock', { as, step: 'next' })).state;
    }
    return current;
  }

  /** Opens the page as a person and waits for their state to be drawn. */
  async function openAs(userId: string) {
    await page.goto(`${playground!.url}?as=${encodeURIComponent(userId)}`, { waitUntil: 'load' });
    await page.waitForSelector(`body[data-ready][data-as="${userId}"]`, { state: 'attached' });
  }

  /** Waits until the element's text contains `text`; should it never, the failure shows the text last seen. */
  async function waitForText(locator: Locator, text: string) {
    await expect.poll(() => locator.first().innerText(), { timeout: STEP_LIMIT_MS, interval: 50 }).toContain(text);
  }

  beforeAll(async () => {
    if (missing) return;
    dir = mkdtempSync(join(tmpdir(), 'playground-e2e-'));
    playground = await startPlayground({ demoStart: '2026-08-10', dataFile: join(dir, 'data.json') });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(STEP_LIMIT_MS);
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    mkdirSync(SHOTS, { recursive: true });
  }, TEST_LIMIT_MS);

  afterAll(async () => {
    await browser?.close();
    await playground?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, STEP_LIMIT_MS);

  it('as s1: today’s øvebane is done with one click, and the same click again changes nothing', async () => {
    needsChromium();
    await openAs('s1');
    expect(await page.locator('html').getAttribute('lang')).toBe('da');
    expect(await page.title()).toContain('Sparringsbot');

    // The demo starts on the programme's first day: s1's welcome, and one line saying what to try first.
    await waitForText(page.locator('#first-step'), 'Begynd som Lene');
    expect((await state('s1')).chat).toHaveLength(1);
    const isPrompt = (m: Message) => m.card.actions?.some((a) => a.data?.card === 'practice-prompt' && a.verb === 'done') ?? false;
    const before = await stepUntil('s1', (s) => s.chat.some(isPrompt), 'the first øvebane in s1’s chat');
    const prompt = before.chat.find(isPrompt);
    expect(prompt, 'a practice-prompt card in s1’s chat').toBeDefined();
    const done = prompt!.card.actions!.find((a) => a.verb === 'done')!;

    const card = page.locator(`#chat-log article[data-message-id="${prompt!.id}"]`);
    await expect.poll(() => card.getAttribute('data-card'), { timeout: STEP_LIMIT_MS }).toBe('practice-prompt');
    await card.getByRole('button', { name: 'Udført', exact: true }).click();
    await waitForText(card, 'Godt gået! Dagens øvebane er udført.');
    // The answered card has nothing left to press or fill in.
    expect(await card.locator('button, input, textarea, select').count()).toBe(0);
    expect(await page.locator('#chat-log').getByRole('button', { name: 'Udført', exact: true }).count()).toBe(0);

    // The same action again, from the page: the answered card comes back, nothing new is stored or posted.
    const again = await page.evaluate(
      async ({ messageId, data }) => {
        const res = await fetch('/playground/api/action', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ as: 's1', messageId, verb: 'done', data, inputs: {} }),
        });
        return { status: res.status, json: (await res.json()) as { card: object; state: State } };
      },
      { messageId: prompt!.id, data: done.data },
    );
    expect(again.status).toBe(200);
    expect(JSON.stringify(again.json.card)).toContain('Godt gået! Dagens øvebane er udført.');
    const chat = again.json.state.chat;
    expect(chat.map((m) => m.id)).toEqual(before.chat.map((m) => m.id));
    expect(chat.filter((m) => says(m, 'Godt gået! Dagens øvebane er udført.')).map((m) => m.id)).toEqual([prompt!.id]);
    expect(chat.filter((m) => hasActivity(m, done.data!.ref!.activityId))).toEqual([]);

    await page.screenshot({ path: join(SHOTS, '1-s1-practice-done.png'), fullPage: true });
  });

  it('as s1: a card being typed in is left alone while new messages arrive by polling', async () => {
    needsChromium();
    await stepUntil('s1', (s) => s.chat.some((m) => hasActivity(m, 'tema-1-1')), 'the first reflection in s1’s chat');
    const reflection = page.locator('#chat-log article[data-activity="tema-1-1"]');
    await expect.poll(() => reflection.count(), { timeout: STEP_LIMIT_MS }).toBe(1);
    const field = reflection.locator('textarea').first();
    await field.fill('Halvskrevet svar');
    await field.evaluate((node) => ((node as HTMLTextAreaElement & { marked?: boolean }).marked = true));
    const count = await page.locator('#chat-log > article').count();
    const before = (await state('s1')).chat.length;
    await stepUntil('s1', (s) => s.chat.length > before, 'a new message in s1’s chat', 20);
    // The page's own poll (every 2 s) draws the new message…
    await page.waitForFunction((n) => document.querySelectorAll('#chat-log > article').length > n, count);
    // …and the card being typed in is the same element, with the words still in it.
    expect(await field.evaluate((node) => (node as HTMLTextAreaElement & { marked?: boolean }).marked === true)).toBe(true);
    expect(await field.inputValue()).toBe('Halvskrevet svar');
  });

  it('as the leader: /sparring agenda answers “Sendt til teamkanalen.” and the agenda appears in the channel', async () => {
    needsChromium();
    // Switch person with the "who am I" select, as a person would.
    await page.getByLabel('Hvem er du?').selectOption('leder');
    await page.waitForSelector('body[data-as="leder"]', { state: 'attached' });
    expect(page.url()).toContain('as=leder');

    const box = page.getByLabel('Kommando');
    await box.fill('agenda');
    await box.press('Enter');
    const reply = page.locator('#chat-log article.ephemeral');
    await waitForText(reply, 'Sendt til teamkanalen.');
    expect(await reply.first().innerText()).toContain('Kun du kan se dette');
    expect(await box.inputValue()).toBe('');

    await page.waitForFunction(() => (document.querySelector('#channel-log') as HTMLElement | null)?.innerText.includes('30–40 minutter'));
    // The channel's copy is for reading: no field and no button (so no card name on it either).
    const agenda = page.locator('#channel-log article', { hasText: '30–40 minutter' });
    expect(await agenda.count()).toBe(1);
    expect(await agenda.locator('button, textarea, input').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, '2-leader-agenda.png'), fullPage: true });
  });

  it('as s1 and s2: questionnaire 2 is answered, and after its close the channel shows “2 af 4 har svaret”', async () => {
    needsChromium();
    await stepUntil('s1', (s) => s.chat.some((m) => hasActivity(m, 'spoergeskema-2')), 'questionnaire 2 in s1’s chat');
    expect(
      (await state('s2')).chat.some((m) => hasActivity(m, 'spoergeskema-2')),
      'questionnaire 2 in s2’s chat',
    ).toBe(true);

    for (const [userId, value] of [
      ['s1', '4'],
      ['s2', '2'],
    ] as const) {
      await openAs(userId);
      const unanswered = page.locator('#chat-log article[data-activity="spoergeskema-2"]');
      await expect.poll(() => unanswered.count(), { timeout: STEP_LIMIT_MS }).toBe(1);
      // By message id: the answered card that replaces it has no actions, so no data-activity.
      const card = page.locator(`#chat-log article[data-message-id="${await unanswered.getAttribute('data-message-id')}"]`);
      const radios = card.locator(`input[type="radio"][value="${value}"]`);
      expect(await radios.count()).toBe(5);
      for (let i = 0; i < 5; i++) await radios.nth(i).check();
      await card.locator('textarea').fill(`Mere tid til at forberede (${userId}).`);
      const send = card.getByRole('button', { name: 'Send besvarelse' });
      await send.scrollIntoViewIfNeeded();
      if (userId === 's1') await page.screenshot({ path: join(SHOTS, '3-s1-questionnaire-filled.png') });
      await send.click();
      await waitForText(card, 'Tak for dit svar!');
      expect(await card.locator('button, input, textarea').count()).toBe(0);
    }

    const channelBefore = new Set((await state('leder')).channel.map((m) => m.id));
    const isSummary = (m: Message) => !channelBefore.has(m.id) && says(m, 'Teamets egen puls 2') && says(m, 'har svaret');
    const after = await stepUntil('leder', (s) => s.channel.some(isSummary), 'the summary of questionnaire 2 in the channel', 60);
    expect(JSON.stringify(after.channel.find(isSummary)!.card)).toContain('2 af 4 har svaret');

    await openAs('leder');
    await page.waitForFunction(() => (document.querySelector('#channel-log') as HTMLElement | null)?.innerText.includes('2 af 4 har svaret'));
    await page.screenshot({ path: join(SHOTS, '4-summary-in-channel.png'), fullPage: true });
    expect(existsSync(join(SHOTS, '4-summary-in-channel.png'))).toBe(true);
  });

  it('has no console errors and no page errors', () => {
    needsChromium();
    expect(problems).toEqual([]);
  });
});
