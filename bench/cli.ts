// `npm run bench:cli`: how long the command line and the server take to answer, as a user starts them.
// Four `sparring` commands, each as a child process of the compiled bin (node bin/sparring.js, what
// `npx sparring` runs after npm's own start); `node bin/main.js` (what `npm start` runs) with the
// playground on a free port and a temporary DATA_FILE, until its first 200 from /healthz and then from
// /readyz; and `node -e 0`, the floor every Node process pays. Rounds alternate the subjects, so a change in
// the machine's load falls on all of them alike; each figure is a median, wall time and CPU time (user +
// system, by /usr/bin/time for a command and /proc for the server, where the machine has them: on a busy
// machine the CPU time moves far less than the wall time). `-- --runs N` (default 7), `-- --quick` (3 runs),
// `-- --against DIR`: the same subjects from another built checkout (before a change, say) in the same rounds.
// Last line: {"cliMs", "serverReadyMs", "nodeMs", "programmesMs", "planMs", "cardMs", "validateMs",
// "readyzMs", "cpuMs": {...}}, cliMs being the slowest command's median and serverReadyMs the first 200 of /healthz.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildIsCurrent } from '../bin/run.js';

const ROOT = join(import.meta.dirname, '..');
const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const RUNS = process.argv.includes('--quick') ? 3 : Number(arg('--runs') ?? 7);
const AGAINST = arg('--against') === undefined ? undefined : resolve(arg('--against')!);
/** The target of issue 17 for every command, and what the server is reported against. */
const TARGET_MS = 500;
const TIME = '/usr/bin/time';
const HAS_TIME = existsSync(TIME);
const TICK_MS = 10; // /proc's clock ticks: 100 a second on Linux

const COMMANDS: Array<{ name: string; args: string[] }> = [
  { name: 'programmes', args: ['programmes'] },
  { name: 'plan', args: ['plan', 'odense-science-boernehoejde', '--start', '2026-09-07'] },
  { name: 'card', args: ['card', 'welcome'] },
  { name: 'validate', args: ['validate', 'programmes/kolding-laeringssamtale.yaml'] },
];

interface Timing {
  wallMs: number;
  cpuMs?: number;
}

const round = (n: number) => Math.round(n);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Wall time from spawning `argv` to its exit, and its CPU time; a failed command fails the benchmark rather than being timed. */
function timed(argv: string[], cwd: string = ROOT): Promise<Timing> {
  const cpuFile = join(tmpdir(), `sparringsbot-bench-cli-${process.pid}.time`);
  const command = HAS_TIME ? [TIME, '-f', '%U %S', '-o', cpuFile, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command[0]!, command.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const wallMs = performance.now() - start;
      if (code !== 0 || out.length === 0) return reject(new Error(`${argv.join(' ')} in ${cwd} exited with ${code}:\n${out}`));
      if (!HAS_TIME) return resolve({ wallMs });
      const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
      rmSync(cpuFile, { force: true });
      resolve({ wallMs, cpuMs: ((user ?? 0) + (system ?? 0)) * 1000 });
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

/** A process's CPU time so far (user + system), from /proc; undefined where there is none. */
function cpuSoFar(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/**
 * `node bin/main.js` as `npm start` runs it without credentials (the playground, the embedded store in a
 * temporary file): the time from spawning it to the first 200 of GET /healthz (alive), and to the first 200
 * of GET /readyz (the whole server built, the same as /healthz's for a server that binds its port last),
 * each asked every 5 ms, with the server's CPU time until it was ready. Stopped with SIGTERM, as a deploy stops it.
 */
async function serverReady(cwd: string): Promise<{ healthz: Timing; readyz: Timing }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sparringsbot-bench-cli-'));
  const env = { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', DATA_FILE: join(dir, 'data.json'), LOG_LEVEL: 'warn' };
  const start = performance.now();
  const child = spawn(process.execPath, ['bin/main.js'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  const firstOk = async (path: string): Promise<Timing> => {
    for (;;) {
      if (done) throw new Error(`the server exited before it answered /${path}:\n${err}`);
      const ok = await fetch(`http://127.0.0.1:${port}/${path}`).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status === 200;
        },
        () => false,
      );
      if (ok) {
        const wallMs = performance.now() - start;
        const cpuMs = cpuSoFar(child.pid!);
        return cpuMs === undefined ? { wallMs } : { wallMs, cpuMs };
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  try {
    const healthz = await firstOk('healthz');
    return { healthz, readyz: await firstOk('readyz') };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function ensureBuilt(root: string, current: () => boolean) {
  if (current()) return;
  // The bins would run the sources through tsx: what is measured here is the compiled command line.
  console.log(`${root}: dist/ is missing or older than src/: npm run build`);
  const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0 || !current()) throw new Error(`npm run build failed in ${root}`);
}

ensureBuilt(ROOT, buildIsCurrent);
if (AGAINST) {
  const other = (await import(join(AGAINST, 'bin/run.js'))) as { buildIsCurrent(): boolean };
  ensureBuilt(AGAINST, other.buildIsCurrent);
}

/** Each subject's timings, by subject and then by checkout ('' this one, 'against' the other). */
const checkouts = AGAINST ? [ROOT, AGAINST] : [ROOT];
const times = new Map<string, Timing[]>();
const add = (key: string, timing: Timing) => times.set(key, [...(times.get(key) ?? []), timing]);
const keyOf = (name: string, cwd: string) => (cwd === ROOT ? name : `${name} @against`);

const loadBefore = load();
// One untimed round first: the files into the page cache, as for anyone who has run the command once.
for (const cwd of checkouts) for (const { args } of COMMANDS) await timed([process.execPath, 'bin/sparring.js', ...args], cwd);
for (let r = 0; r < RUNS; r++) {
  for (const cwd of checkouts) {
    for (const { name, args } of COMMANDS) add(keyOf(name, cwd), await timed([process.execPath, 'bin/sparring.js', ...args], cwd));
    const { healthz, readyz } = await serverReady(cwd);
    add(keyOf('healthz', cwd), healthz);
    add(keyOf('readyz', cwd), readyz);
  }
  add('node -e 0', await timed([process.execPath, '-e', 'process.stdout.write(" ")']));
}
const npx = await timed(['npx', '--no-install', 'sparring', 'programmes']);

const wall = (key: string) => median(times.get(key)!.map((t) => t.wallMs));
const cpu = (key: string) => (times.get(key)!.every((t) => t.cpuMs !== undefined) ? median(times.get(key)!.map((t) => t.cpuMs!)) : undefined);
const nodeMs = wall('node -e 0');
const nodeCpu = cpu('node -e 0');
const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** "326 ms (0.41 s CPU), 4.9× node -e 0" */
const figure = (key: string) => {
  const c = cpu(key);
  return `${String(round(wall(key))).padStart(5)} ms${c === undefined ? '' : ` ${String(round(c)).padStart(5)} ms CPU`}  ${(wall(key) / nodeMs).toFixed(1).padStart(4)}× node -e 0`;
};
const runsOf = (key: string) =>
  times
    .get(key)!
    .map((t) => round(t.wallMs))
    .join(', ');

console.log(`Start-up to the first answer (sparringsbot ${version}, node ${process.version}, medians of ${RUNS} alternating rounds; wall time, and CPU time user + system)`);
console.log(`  load average: ${loadBefore} before, ${load()} after (2 cores: wall times grow with the machine's other work)`);
const rows: Array<{ label: string; key: string; target?: boolean }> = [
  ...COMMANDS.map(({ name, args }) => ({ label: `sparring ${args.join(' ')}`, key: name, target: true })),
  { label: 'npm start → first 200 of /healthz (alive)', key: 'healthz', target: true },
  { label: 'npm start → first 200 of /readyz (the server built)', key: 'readyz' },
];
for (const { label, key, target } of rows) {
  const verdict = target ? `  ${wall(key) <= TARGET_MS ? 'within' : 'OVER'} ${TARGET_MS} ms` : '';
  console.log(`  ${label.padEnd(61)} ${figure(key)}${verdict}  (runs: ${runsOf(key)})`);
  if (AGAINST) console.log(`  ${`   the same from ${AGAINST}`.padEnd(61)} ${figure(keyOf(key, AGAINST))}  (runs: ${runsOf(keyOf(key, AGAINST))})`);
}
console.log(`  ${'node -e 0 (the floor)'.padEnd(61)} ${String(round(nodeMs)).padStart(5)} ms${nodeCpu === undefined ? '' : ` ${String(round(nodeCpu)).padStart(5)} ms CPU`}`);
console.log(`  ${'npx sparring programmes (once: npm’s own start on top)'.padEnd(61)} ${String(round(npx.wallMs)).padStart(5)} ms`);
const slowest = Math.max(...COMMANDS.map((c) => wall(c.name)));
console.log(`  cliMs is the slowest command's median: ${round(slowest)} ms`);
const cpuMs = Object.fromEntries(
  [...COMMANDS.map((c) => c.name), 'readyz', 'node -e 0'].flatMap((key) => {
    const c = cpu(key);
    return c === undefined ? [] : [[key === 'node -e 0' ? 'node' : key, round(c)]];
  }),
);
console.log(
  JSON.stringify({
    cliMs: round(slowest),
    serverReadyMs: round(wall('healthz')),
    nodeMs: round(nodeMs),
    ...Object.fromEntries(COMMANDS.map((c) => [`${c.name}Ms`, round(wall(c.name))])),
    readyzMs: round(wall('readyz')),
    cpuMs,
  }),
);
