// The built-in programmes as the build loaded and checked them, so that a command or the server starts
// without parsing 190 KB of YAML (a quarter of a second on a cold start) or even loading the schema.
// scripts/build.js writes the file beside the compiled loader; it is used only while every file in
// programmes/ is byte for byte what the build read, so an edited programme is always loaded from its file.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Programme } from '../domain/programme/schema.ts';

/** The folder of built-in programmes shipped with the bot. */
export const BUILT_IN_DIR = resolve(fileURLToPath(new URL('../../programmes', import.meta.url)));

/** Beside this module: dist/programmes/built-in.json after a build; the TypeScript sources (tests, tsx) have none and load the files. */
export const CHECKED_FILE = fileURLToPath(new URL('./built-in.json', import.meta.url));

/** Each file in the folder (paths relative to it) with its size and SHA-256: what the programmes were loaded from. */
type Fingerprint = Record<string, { size: number; sha256: string }>;

interface Checked {
  files: Fingerprint;
  programmes: Programme[];
}

/**
 * The programmes of `dir` as they were checked at build time, or undefined when there is no such record or any
 * file in the folder was added, removed or changed since (the caller then loads the folder itself).
 */
export function checkedProgrammes(dir: string = BUILT_IN_DIR, file: string = CHECKED_FILE): Map<string, Programme> | undefined {
  let checked: Checked;
  try {
    checked = JSON.parse(readFileSync(file, 'utf8')) as Checked;
  } catch {
    return undefined;
  }
  const names = filesIn(dir);
  if (!names || names.length !== Object.keys(checked.files).length) return undefined;
  try {
    for (const name of names) {
      const recorded = checked.files[name];
      const path = join(dir, name);
      // The size first, so a changed folder is told without reading it.
      if (!recorded || statSync(path).size !== recorded.size || sha256(path) !== recorded.sha256) return undefined;
    }
  } catch {
    return undefined; // a file went away meanwhile: the caller's own load reports it
  }
  return new Map(checked.programmes.map((p) => [p.id, p]));
}

/**
 * Records `programmes`, just loaded from `dir`, for checkedProgrammes. Not when a programme has its own card
 * template: whether that passes depends on the card code and files too, so such a folder is always loaded.
 */
export function writeCheckedProgrammes(programmes: Map<string, Programme>, dir: string = BUILT_IN_DIR, file: string = CHECKED_FILE): boolean {
  const names = filesIn(dir);
  if (!names || [...programmes.values()].some((p) => p.phases.some((phase) => phase.activities.some((a) => a.card?.template !== undefined)))) return false;
  const files: Fingerprint = Object.fromEntries(names.map((name) => [name, { size: statSync(join(dir, name)).size, sha256: sha256(join(dir, name)) }]));
  writeFileSync(file, JSON.stringify({ files, programmes: [...programmes.values()] } satisfies Checked));
  return true;
}

/** Every file below `dir`, sorted; undefined when the folder cannot be read or holds anything but files and folders (a link, a FIFO). */
function filesIn(dir: string): string[] | undefined {
  const found: string[] = [];
  const walk = (at: string): boolean => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) {
        if (!walk(path)) return false;
      } else if (entry.isFile()) found.push(relative(dir, path));
      else return false;
    }
    return true;
  };
  try {
    return walk(dir) ? found.sort() : undefined;
  } catch {
    return undefined;
  }
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
