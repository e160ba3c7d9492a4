// `sparring card <name>` shows a card with its sample data (samples.ts), most of which is planned from a built-in
// programme: a plan of Odense on a cold engine, about a tenth of a second of CPU before the card. The build
// records every card's sample in every language beside this module; `card` uses the record while every file
// the samples are made from is byte for byte what the build read (the built-in programmes, the sample replies,
// the cards' strings, the installed date-holidays), and makes them otherwise, as the sources always do.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locale } from '../domain/programme/locales.ts';
import type { CardName } from './view-models.ts';

/** Beside this module: dist/cards/samples.recorded.json after a build; the sources have none. */
export const RECORDED_SAMPLES_FILE = fileURLToPath(new URL('./samples.recorded.json', import.meta.url));

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Samples = Record<string, Record<string, unknown>>;

interface Recorded {
  inputs: string;
  samples: Samples;
}

/** Every file the samples are made from besides the code (which the build compiled with them): absolute paths, sorted. */
export function sampleInputs(): string[] {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
  const holidays = createRequire(import.meta.url).resolve('date-holidays/package.json');
  return [...walk(join(ROOT, 'programmes')), join(ROOT, 'cards', 'samples.json'), ...walk(join(ROOT, 'cards', 'locales')), holidays].sort();
}

/** One digest of the files' names (from the root, so a moved checkout keeps its record) and contents; undefined when one cannot be read. */
function fingerprint(files: string[]): string | undefined {
  const hash = createHash('sha256');
  try {
    for (const file of files) {
      const content = readFileSync(file);
      hash.update(`${relative(ROOT, file)}\0${content.length}\0`).update(content);
    }
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

/** Each record file as read and checked once in this process: null when it is missing or stale. */
const records = new Map<string, Recorded | null>();

function readRecord(file: string, inputs: () => string[]): Recorded | null {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Recorded;
    return record.inputs === fingerprint(inputs()) ? record : null;
  } catch {
    return null; // no record (the sources, or a build that could not make one), or the inputs cannot be listed
  }
}

/**
 * The build's sample of a card in a language, a copy for each caller; undefined when there is no record, or any
 * file the samples are made from changed since the build.
 */
export function recordedSample(name: CardName, locale: Locale, file: string = RECORDED_SAMPLES_FILE, inputs: () => string[] = sampleInputs): unknown {
  let record = records.get(file);
  if (record === undefined) records.set(file, (record = readRecord(file, inputs)));
  const sample = record?.samples[name]?.[locale];
  return sample === undefined ? undefined : structuredClone(sample);
}

/** Records the samples (every card's, in every language) the build just made from `inputs`. */
export function writeRecordedSamples(samples: Samples, file: string = RECORDED_SAMPLES_FILE, inputs: string[] = sampleInputs()): void {
  const digest = fingerprint(inputs);
  if (digest === undefined) throw new Error('the files the samples are made from cannot be read');
  writeFileSync(file, JSON.stringify({ inputs: digest, samples } satisfies Recorded));
}
