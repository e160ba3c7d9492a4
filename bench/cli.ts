// `npm run bench:cli`: how long the command line and the server take to answer, as a user starts them.
// Four `sparring` commands, each as a child process of the compiled bin (node bin/sparring.js, what
// `npx sparring` runs after npm's own start); `node bin/main.js` (what `npm start` runs) with the
// playground on a free port and a temporary DATA_FILE, until its first 200 from /healthz; and `node -e 0`,
// the floor every Node process pays. Rounds alternate the subjects, so a change in the machine's load
// falls on all of them alike; each figure is a median. `-- --runs N` (default 7), `-- --quick` (3 runs).
// Last line: {"cliMs", "serverReadyMs", "nodeMs"}, cliMs being the slowest command's median.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildIsCurrent } from '../bin/run.js';

const ROOT = join(import.meta.dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = process.argv.includes('--quick') ? 3 : runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
/** The target of issue 17 for every command, and what the server is reported against. */
const TARGET_MS = 500;

const COMMANDS: Array<{ name: string; args: string[] }> = [
  { name: 'programmes', args: ['programmes'] },
  { name: 'plan', args: ['plan', 'odense-science-boernehoejde', '--start', '2026-09-07'] },
  { name: 'card', args: ['card', 'welcome'] },
  { name: 'validate', args: ['validate', 'programmes/kolding-laeringssamtale.yaml'] },
];

const round = (n: number) => Math.round(n);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Wall time from spawning `argv` to its exit; a failed command fails the benchmark rather than being timed. */
function timed(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - start;
      if (code === 0 && out.length > 0) resolve(ms);
      else reject(new Error(`${argv.join(' ')} exited with ${code}:\n${out}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `node bin/main.js` as `npm start` runs it without credentials (the playground, the embedded store in a
 * temporary file): the time from spawning it to the first 200 of GET /healthz, asked every 5 ms. Stopped
 * with SIGTERM, as a deploy stops it.
 */
async function serverReady(): Promise<number> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-bench-cli-'));
  const env = { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', DATA_FILE: join(dir, 'data.json'), LOG_LEVEL: 'warn' };
  const start = performance.now();
  const child = spawn(process.execPath, ['bin/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  try {
    for (;;) {
      if (done) throw new Error(`the server exited before it answered /healthz:\n${err}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) return performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!buildIsCurrent()) {
  // The bins would run the sources through tsx: what is measured here is the compiled command line.
  console.log('dist/ is missing or older than src/: npm run build');
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0 || !buildIsCurrent()) throw new Error('npm run build failed');
}

const loadBefore = load();
const times = new Map<string, number[]>([...COMMANDS.map((c) => [c.name, []] as [string, number[]]), ['node -e 0', []], ['server', []]]);
// One untimed round first: the files into the page cache, as for anyone who has run the command once.
for (const { args } of COMMANDS) await timed([process.execPath, 'bin/sparring.js', ...args]);
for (let round = 0; round < RUNS; round++) {
  for (const { name, args } of COMMANDS) times.get(name)!.push(await timed([process.execPath, 'bin/sparring.js', ...args]));
  times.get('node -e 0')!.push(await timed([process.execPath, '-e', 'process.stdout.write(" ")']));
  times.get('server')!.push(await serverReady());
}
const npx = await timed(['npx', '--no-install', 'sparring', 'programmes']);

const medians = new Map([...times].map(([name, values]) => [name, median(values)]));
const slowest = Math.max(...COMMANDS.map((c) => medians.get(c.name)!));
const nodeMs = medians.get('node -e 0')!;
const serverMs = medians.get('server')!;
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

console.log(`Start-up to the first answer (sparringsbot ${version}, node ${process.version}, medians of ${RUNS} alternating rounds)`);
console.log(`  load average: ${loadBefore} before, ${load()} after (2 cores: figures grow with the machine's other work)`);
for (const { name, args } of COMMANDS) {
  const ms = medians.get(name)!;
  const verdict = `${ms <= TARGET_MS ? 'within' : 'OVER'} ${TARGET_MS} ms, ${(ms / nodeMs).toFixed(1)}× node -e 0`;
  console.log(`  sparring ${args.join(' ').padEnd(52)} ${String(round(ms)).padStart(5)} ms  ${verdict}  (runs: ${times.get(name)!.map(round).join(', ')})`);
}
console.log(
  `  ${'npm start → first 200 of /healthz'.padEnd(61)} ${String(round(serverMs)).padStart(5)} ms  ${(serverMs / nodeMs).toFixed(1)}× node -e 0  (runs: ${times.get('server')!.map(round).join(', ')})`,
);
console.log(`  ${'node -e 0 (the floor)'.padEnd(61)} ${String(round(nodeMs)).padStart(5)} ms`);
console.log(`  ${'npx sparring programmes (once: npm’s own start on top)'.padEnd(61)} ${String(round(npx)).padStart(5)} ms`);
console.log(`  cliMs is the slowest command's median: ${round(slowest)} ms`);
console.log(JSON.stringify({ cliMs: round(slowest), serverReadyMs: round(serverMs), nodeMs: round(nodeMs) }));
