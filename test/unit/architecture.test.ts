// The boundaries of the design note, checked on the source: the domain stays pure, the app layer has no
// I/O, each platform's SDK stays in its own folder, only the composition root wires implementations
// together, and process.env has one reader.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/**
 * Every module a source text loads: static imports and re-exports, side-effect imports, dynamic
 * `import()`, `require()` and `createRequire(…).resolve()`. Comments are skipped.
 */
function importsOf(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+|\brequire\s*\(\s*|\bcreateRequire\([^)]*\)\.resolve\s*\(\s*)(['"])([^'"]+)\1/gm;
  return [...code.matchAll(pattern)].map((m) => m[2]!);
}

/** An import as a path under src/ (`app/ports.ts`), or the package name for anything else. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? relative(SRC, join(file, '..', spec)) : spec;
}

const sources = files(SRC).map((file) => ({ file: relative(SRC, file), targets: importsOf(readFileSync(file, 'utf8')).map((spec) => target(file, spec)) }));
const under = (folder: string) => sources.filter((s) => s.file.startsWith(`${folder}/`));
const isSrc = (t: string) => t.endsWith('.ts');

function expectOnly(folder: string, allowed: (t: string) => boolean) {
  const bad = under(folder).flatMap((s) => s.targets.filter((t) => !allowed(t)).map((t) => `${s.file} imports ${t}`));
  expect(bad).toEqual([]);
}

/** What domain/calendar/holidays.ts needs to require date-holidays, or the build's record of it, on first use. */
const loadsHolidays = (t: string) => ['node:module', 'node:url', 'date-holidays/package.json'].includes(t);

function usersOf(packagePrefix: string): string[] {
  return sources.filter((s) => s.targets.some((t) => t === packagePrefix || t.startsWith(`${packagePrefix}/`))).map((s) => s.file);
}

describe('architecture', () => {
  it('sees every way a module is loaded', () => {
    const sample = [
      "import { a } from './a.ts';",
      "export { b } from '../b.ts';",
      "import 'side-effect';",
      "const c = await import('./c.ts');",
      "const require = createRequire(import.meta.url); require('d');",
      "createRequire(import.meta.url).resolve('e/dist/e.js');",
      "// import { f } from 'commented-out';",
    ].join('\n');
    expect(importsOf(sample)).toEqual(['./a.ts', '../b.ts', 'side-effect', './c.ts', 'd', 'e/dist/e.js']);
  });

  it('domain/ imports only domain/ and pure libraries: no I/O, no SDK', () => {
    expectOnly('domain', (t) => t.startsWith('domain/') || ['zod', 'luxon', 'date-holidays'].includes(t) || loadsHolidays(t));
  });

  it('only the holidays load code and data of their own (date-holidays, or the build’s copy of what it says) with require', () => {
    const loaders = under('domain').filter((s) => s.targets.some(loadsHolidays));
    expect(loaders.map((s) => s.file)).toEqual(['domain/calendar/holidays.ts']);
  });

  it('app/ (the use cases) imports the domain, its own ports and the card and mail views, and does no I/O', () => {
    const views = ['cards/from-activity.ts', 'cards/view-models.ts', 'cards/strings.ts', 'mail/pre-visit-mail.ts'];
    // node:crypto only hashes (idempotency keys, anonymous markers): computation, not I/O.
    expectOnly('app', (t) => t.startsWith('domain/') || t.startsWith('app/') || views.includes(t) || ['zod', 'luxon', 'node:crypto'].includes(t));
  });

  it('the scheduler and delivery reach storage, platforms and mail only through the app’s ports', () => {
    const outward = (t: string) => isSrc(t) && ['store/', 'channels/', 'compose/', 'http/', 'mail/'].some((folder) => t.startsWith(folder));
    expectOnly('scheduler', (t) => !outward(t) && !t.startsWith('delivery/') && (isSrc(t) || t === 'node-cron'));
    expectOnly('delivery', (t) => !outward(t) && !t.startsWith('scheduler/') && isSrc(t));
  });

  it('a receiver only translates: no store, scheduler or delivery of its own, and no other platform’s code', () => {
    expectOnly('channels', (t) => !['store/', 'scheduler/', 'delivery/', 'compose/', 'cli/'].some((folder) => t.startsWith(folder)));
    for (const platform of ['teams', 'slack', 'local']) {
      const others = ['teams', 'slack', 'local'].filter((p) => p !== platform);
      expectOnly(`channels/${platform}`, (t) => !others.some((other) => t.startsWith(`channels/${other}/`)));
    }
  });

  it('only the composition root, the CLI and the store itself pick a store implementation', () => {
    const pickers = sources.filter((s) => s.targets.some((t) => t.startsWith('store/') && t !== 'store/keys.ts')).map((s) => s.file);
    expect(pickers.filter((f) => !['compose/', 'cli', 'store/'].some((prefix) => f.startsWith(prefix)))).toEqual([]);
  });

  it.each([
    ['ioredis', 'store/redis/'],
    ['botbuilder', 'channels/teams/'],
    ['@slack/bolt', 'channels/slack/'],
    ['nodemailer', 'mail/'],
  ])('only %s’s own folder imports it', (pkg, folder) => {
    expect(usersOf(pkg).filter((f) => !f.startsWith(folder))).toEqual([]);
  });

  it('only config.ts reads process.env, and only main.ts exits the process', () => {
    const readers = files(SRC).filter((f) => readFileSync(f, 'utf8').includes('process.env'));
    expect(readers.map((f) => relative(SRC, f))).toEqual(['config.ts']);
    const exits = files(SRC).filter((f) => /process\.exit\(/.test(readFileSync(f, 'utf8')));
    expect(exits.map((f) => relative(SRC, f)).filter((f) => !f.startsWith('cli'))).toEqual(['main.ts']);
  });
});
