// The Adaptive Card templating package, as the renderer loads it. Required as it is installed, it is some 500
// CommonJS modules (adaptive-expressions, antlr4ts, lodash), each found, read and compiled on every start:
// about 0.2 s of CPU before the first card, on the command line's `card` and in the server's first render.
// The build (scripts/build.js, templating-bundle.ts) writes the same code as one file with the V8 code cache
// of a run that rendered every card, so a start reads two files and compiles nothing. That record is used only
// while every bundled package is installed at the version it was bundled from; otherwise, and from the
// TypeScript sources, the package is required as installed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

export type TemplateClass = new (template: object) => { expand(context: { $root: unknown }): unknown };

/** Beside this module: dist/cards/templating/ after a build; the sources have none. */
export const BUNDLE_DIR = fileURLToPath(new URL('./templating/', import.meta.url));
/** The project's root, which the record's package folders are relative to. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const BUNDLE_FILE = 'bundle.cjs';
export const CACHE_FILE = 'bundle.cache';
export const RECORD_FILE = 'record.json';

/** Each package the bundle holds: its folder (relative to the root) and the version it was bundled from. */
export interface BundleRecord {
  packages: Array<{ dir: string; version: string }>;
}

/** The bundle's script as this process compiled it: the build writes its code cache after rendering with it. */
let loadedScript: Script | undefined;

/** The Template class: from the build's bundle when it is current, else from the installed package. */
export function loadTemplateClass(dir: string = BUNDLE_DIR): TemplateClass {
  // Required untyped: the package's typings import adaptivecards' TypeScript sources, which fail under strict settings.
  return (fromBundle(dir) ?? (createRequire(import.meta.url)('adaptivecards-templating') as { Template: TemplateClass })).Template;
}

/** Whether the Template class this process loaded came from the bundle (and which script, for its code cache). */
export function bundledScript(): Script | undefined {
  return loadedScript;
}

function fromBundle(dir: string): { Template: TemplateClass } | undefined {
  let record: BundleRecord;
  let code: string;
  try {
    record = JSON.parse(readFileSync(join(dir, RECORD_FILE), 'utf8')) as BundleRecord;
    if (!record.packages.every((p) => installedVersion(p.dir) === p.version)) return undefined;
    code = readFileSync(join(dir, BUNDLE_FILE), 'utf8');
  } catch {
    return undefined;
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(join(dir, CACHE_FILE));
  } catch {
    cachedData = undefined; // the build writes the cache after the bundle: without it the bundle is only compiled
  }
  const filename = join(dir, BUNDLE_FILE);
  // The wrapper Node puts around every CommonJS module; V8 rejects a cache made by another version or other flags and compiles instead.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as { Template: TemplateClass } };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(filename), module, filename, dir);
  loadedScript = script;
  return module.exports;
}

function installedVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}
