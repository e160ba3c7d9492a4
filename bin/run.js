// Which code the bins run: the compiled dist/ that `npm install`/`npm ci` build (the prepare script,
// scripts/build.js), or, in a checkout without a build or with sources edited since, the TypeScript
// sources, so an edited file never runs stale: directly on a Node that strips types itself (22.18+, 24),
// else through tsx. The check costs a few milliseconds (a stat of every file in src/); `npm run build`
// makes the fast path current again.
import { readdirSync, readFileSync, statSync } from 'node:fs';

const ROOT = new URL('../', import.meta.url);

/** Imports `dist/<name>.js` when the build is current, else `src/<name>.ts`. */
export async function run(name) {
  if (buildIsCurrent()) return import(new URL(`dist/${name}.js`, ROOT).href);
  if (!process.features.typescript) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  return import(new URL(`src/${name}.ts`, ROOT).href);
}

/** Whether dist/ was built after the last change to any file in src/. */
export function buildIsCurrent() {
  return builtAt() >= newestSource(new URL('src/', ROOT));
}

function builtAt() {
  try {
    return JSON.parse(readFileSync(new URL('dist/build.json', ROOT), 'utf8')).startedAt;
  } catch {
    return -1;
  }
}

function newestSource(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const url = new URL(entry.isDirectory() ? `${entry.name}/` : entry.name, dir);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(url) : statSync(url).mtimeMs);
  }
  return newest;
}
