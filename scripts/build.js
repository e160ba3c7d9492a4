#!/usr/bin/env node
// `npm run build`, and `prepare` (so `npm install` and `npm ci` build too): src/ compiled to dist/ with the same
// layout, so paths the code resolves from its own file (../../cards/locales/, ../../programmes) land on the same
// folders from dist/ as from src/. The bins run dist/ when it is at least as new as every file in src/ (bin/run.js).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
// Taken before the compiler reads anything: a source saved during the build is newer than the build.
const startedAt = Date.now();

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without devDependencies (npm install --omit=dev) has no compiler; the bins then run the sources through tsx.
  process.stderr.write('sparringsbot: typescript is not installed, so dist/ is not built; bin/sparring.js and bin/main.js run the TypeScript sources through tsx\n');
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

// The built-in programmes as this build loads and checks them, so commands and the server start without parsing
// their YAML (src/programmes/built-in.ts; used only while programmes/ is unchanged).
const { loadProgrammes } = await import('../dist/programmes/load.js');
const { writeCheckedProgrammes } = await import('../dist/programmes/built-in.js');
try {
  writeCheckedProgrammes(loadProgrammes());
} catch (error) {
  // Not the build's to refuse: the bot and the CLI report a broken programme file when they load it.
  process.stderr.write(`sparringsbot: the built-in programmes are not recorded, as they do not load:\n${error.message}\n`);
}
// The holidays of every year a run can fall in, so a calendar starts without loading date-holidays (src/domain/calendar/holidays.ts).
const { recordHolidays, RECORDED_FILE } = await import('../dist/domain/calendar/holidays.js');
writeFileSync(RECORDED_FILE, recordHolidays());
// Every card's sample data in every language, so `sparring card <name>` plans no programme (src/cards/recorded-samples.ts).
const [{ renderCard, CHANNELS }, { sampleData }, { CARD_NAMES }, { LOCALES }, { writeRecordedSamples }] = await Promise.all([
  import('../dist/cards/render.js'),
  import('../dist/cards/samples.js'),
  import('../dist/cards/view-models.js'),
  import('../dist/domain/programme/locales.js'),
  import('../dist/cards/recorded-samples.js'),
]);
let samples;
try {
  samples = Object.fromEntries(CARD_NAMES.map((name) => [name, Object.fromEntries(LOCALES.map((locale) => [locale, sampleData(name, locale)]))]));
  writeRecordedSamples(samples);
} catch (error) {
  // A built-in programme that does not load, say: `sparring card` then makes the samples itself, and reports it.
  process.stderr.write(`sparringsbot: the card samples are not recorded (${error.message})\n`);
}
// The card templating package as one file with the code cache of a run that rendered every card in every language
// and channel, so the first card of a start compiles none of its 500 modules (src/cards/templating.ts).
try {
  const { writeTemplatingBundle, writeTemplatingCache } = await import('../dist/cards/templating-bundle.js');
  await writeTemplatingBundle();
  // Without the samples, one card: the cache then holds only what that render compiled.
  if (samples) for (const name of CARD_NAMES) for (const locale of LOCALES) for (const channel of CHANNELS) renderCard(name, samples[name][locale], channel, { locale });
  else renderCard('error', { code: 'internal', choices: [] }, 'teams', { locale: 'da' });
  writeTemplatingCache();
} catch (error) {
  // Not the build's to refuse either: the renderer then requires the package as installed.
  process.stderr.write(`sparringsbot: the card templating package is not bundled (${error.message}); cards render with it as installed\n`);
}
mkdirSync(dist, { recursive: true });
writeFileSync(`${dist}build.json`, `${JSON.stringify({ startedAt })}\n`);
