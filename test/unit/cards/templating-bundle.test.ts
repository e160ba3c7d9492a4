// The build's bundle of the card templating package (src/cards/templating.ts) must render every card exactly as
// the package does as installed, and must not be used once any package in it is installed at another version.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markPersonText } from '../../../src/cards/person-text.ts';
import { defaultTemplate, parseViewModel } from '../../../src/cards/render.ts';
import { sampleData } from '../../../src/cards/samples.ts';
import { formatterFor, messagesFor } from '../../../src/cards/strings.ts';
import { templateData } from '../../../src/cards/derive.ts';
import { type BundleRecord, bundledScript, CACHE_FILE, loadTemplateClass, RECORD_FILE, type TemplateClass } from '../../../src/cards/templating.ts';
import { writeTemplatingBundle, writeTemplatingCache } from '../../../src/cards/templating-bundle.ts';
import { CARD_NAMES } from '../../../src/cards/view-models.ts';
import { LOCALES } from '../../../src/domain/programme/locales.ts';

const installed = (createRequire(import.meta.url)('adaptivecards-templating') as { Template: TemplateClass }).Template;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sparringsbot-templating-'));
  await writeTemplatingBundle(dir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The template's data as the renderer makes it from a card's sample (render.ts's expand, before the template). */
function dataOf(name: (typeof CARD_NAMES)[number], locale: (typeof LOCALES)[number]) {
  const vm = markPersonText(name, parseViewModel(name, sampleData(name, locale)));
  const format = formatterFor(name, locale, 'Europe/Copenhagen');
  return templateData(name, vm, format, (params) => messagesFor(name, locale, format, params));
}

describe('the bundled card templating package', () => {
  it('expands every card template in every language to the same JSON as the installed package', () => {
    const bundled = loadTemplateClass(dir);
    expect(bundled).not.toBe(installed);
    for (const name of CARD_NAMES) {
      for (const locale of LOCALES) {
        const data = dataOf(name, locale);
        const expected = JSON.stringify(new installed(defaultTemplate(name)).expand({ $root: data }));
        expect(JSON.stringify(new bundled(defaultTemplate(name)).expand({ $root: data })), `${name} ${locale}`).toBe(expected);
      }
    }
  });

  it('loads with the code cache written after a render, and V8 takes it', () => {
    loadTemplateClass(dir);
    expect(writeTemplatingCache(dir)).toBe(true);
    expect(readFileSync(join(dir, CACHE_FILE)).length).toBeGreaterThan(0);
    loadTemplateClass(dir);
    expect(bundledScript()?.cachedDataRejected).toBe(false);
  });

  it('is not used when a package in it is installed at another version than it was bundled from: the package is required as installed', () => {
    const recordFile = join(dir, RECORD_FILE);
    const current = readFileSync(recordFile, 'utf8');
    const record = JSON.parse(current) as BundleRecord;
    expect(record.packages.map((p) => p.dir)).toContain(join('node_modules', 'adaptive-expressions'));
    try {
      const stale = { packages: record.packages.map((p) => (p.dir.endsWith('adaptive-expressions') ? { ...p, version: '0.0.1' } : p)) };
      writeFileSync(recordFile, JSON.stringify(stale));
      expect(loadTemplateClass(dir)).toBe(installed);
      rmSync(recordFile);
      expect(loadTemplateClass(dir)).toBe(installed);
    } finally {
      writeFileSync(recordFile, current);
    }
    expect(loadTemplateClass(dir)).not.toBe(installed);
  });
});
