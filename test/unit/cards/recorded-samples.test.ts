// The build's record of every card's sample (src/cards/recorded-samples.ts) must give `sparring card` exactly the
// data samples.ts makes, and must not be used once any file the samples are made from has changed.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordedSample, sampleInputs, writeRecordedSamples } from '../../../src/cards/recorded-samples.ts';
import { sampleData } from '../../../src/cards/samples.ts';
import { CARD_NAMES } from '../../../src/cards/view-models.ts';
import { LOCALES } from '../../../src/domain/programme/locales.ts';

const ROOT = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const made = Object.fromEntries(CARD_NAMES.map((name) => [name, Object.fromEntries(LOCALES.map((locale) => [locale, sampleData(name, locale)]))]));

describe('the recorded card samples', () => {
  it('are made from the built-in programmes, the sample replies, the cards’ strings and the installed date-holidays', () => {
    const inputs = sampleInputs().map((file) => relative(ROOT, file));
    expect(inputs).toContain('programmes/odense-science-boernehoejde.yaml');
    expect(inputs).toContain('cards/samples.json');
    expect(inputs).toContain('cards/locales/sv.json');
    expect(inputs.some((file) => file.endsWith('date-holidays/package.json'))).toBe(true);
  });

  it('give every card in every language the very data the samples make (no field lost or changed on the way through JSON)', () => {
    const file = join(dir, 'current.json');
    writeRecordedSamples(made, file);
    for (const name of CARD_NAMES) for (const locale of LOCALES) expect(recordedSample(name, locale, file), `${name} ${locale}`).toStrictEqual(sampleData(name, locale));
  });

  it('are not used once a file they were made from has changed, nor when there is no record', () => {
    const input = join(dir, 'samples.json');
    copyFileSync(join(ROOT, 'cards/samples.json'), input);
    const recorded = join(dir, 'recorded.json');
    writeRecordedSamples(made, recorded, [input]);
    const copy = join(dir, 'copy.json');
    copyFileSync(recorded, copy);
    expect(recordedSample('welcome', 'da', recorded, () => [input])).toStrictEqual(sampleData('welcome', 'da'));

    writeFileSync(input, '{"da": {}}');
    expect(recordedSample('welcome', 'da', copy, () => [input])).toBeUndefined();
    expect(recordedSample('welcome', 'da', join(dir, 'none.json'))).toBeUndefined();
  });
});
