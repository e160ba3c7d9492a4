// Build time only (scripts/build.js): the templating package bundled into one file for templating.ts, and
// afterwards the V8 code cache of that file once the build has rendered every card with it. esbuild comes with
// tsx, a dependency; without it the build writes no bundle and the renderer requires the package as installed.
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { BUNDLE_DIR, BUNDLE_FILE, type BundleRecord, bundledScript, CACHE_FILE, RECORD_FILE, ROOT } from './templating.ts';

/** The folder of each package an input file belongs to: the path up to and including its last node_modules/<name>. */
function packageDirOf(input: string): string | undefined {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

/** Writes the bundle and its record into `dir` (any code cache there is removed: it was made for another bundle). */
export async function writeTemplatingBundle(dir: string = BUNDLE_DIR): Promise<void> {
  const esbuild = await import('esbuild');
  const entry = createRequire(join(ROOT, 'package.json')).resolve('adaptivecards-templating');
  const built = await esbuild.build({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const dirs = new Set(Object.keys(built.metafile.inputs).flatMap((input) => packageDirOf(input) ?? []));
  // esbuild names files by their real path: one under a linked node_modules is named again through the link.
  const modules = join(ROOT, 'node_modules');
  const realModules = realpathSync(modules);
  const packages = [...dirs].sort().map((packageDir) => {
    const real = resolve(ROOT, packageDir);
    const { version } = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as { version: string };
    return { dir: relative(ROOT, real.startsWith(`${realModules}/`) ? join(modules, relative(realModules, real)) : real), version };
  });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, BUNDLE_FILE), built.outputFiles[0]!.text);
  writeFileSync(join(dir, RECORD_FILE), `${JSON.stringify({ packages } satisfies BundleRecord, null, 2)}\n`);
}

/**
 * Writes the code cache of the bundle this process loaded and ran: V8 includes every function compiled so far,
 * so the caller renders first. False when this process did not load the bundle (it required the package).
 */
export function writeTemplatingCache(dir: string = BUNDLE_DIR): boolean {
  const script = bundledScript();
  if (!script) return false;
  writeFileSync(join(dir, CACHE_FILE), script.createCachedData());
  return true;
}
