import { Redis } from 'ioredis';
// A private redis-server for tests: a free port, a temporary folder, nothing shared with anyone.
import { waitFor } from './wait-for.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait: the process dies with no chance to write anything more. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RedisServerOptions {
  /** Keep data in an append-only file, as production should. */
  aof?: boolean;
  /** How often the append-only file is synced to the disk: README recommends `always`; default `everysec`. */
  appendfsync?: 'always' | 'everysec';
  /** Reuse this folder (and port), to restart a server on the data it left. */
  dir?: string;
  port?: number;
  /** A node of a Redis Cluster, its cluster bus on this port (test/support/redis-cluster.ts makes the cluster). */
  cluster?: { busPort: number };
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sparring-redis-'));
  const port = options.port ?? (await freePort());
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--loglevel', 'warning'];
  args.push(...(options.aof ? ['--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'everysec'] : ['--appendonly', 'no']));
  if (options.cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-port', String(options.cluster.busPort));
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPing(port, child, () => output);
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    process: child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
  return server;
}

export function removeServerFolder(server: RedisServer) {
  rmSync(server.dir, { recursive: true, force: true });
}

/** Polls with PING over a raw socket until the server answers (start-up, or loading an AOF). */
async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const { createConnection } = await import('node:net');
  const pong = () =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
      socket.once('data', (d) => {
        socket.destroy();
        resolve(String(d).startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${output()}`);
      return (await pong()) || output();
    },
    { what: `redis-server on port ${port} to answer PING` },
  );
}

/** Deletes every key under `namespace` (a test's or a benchmark's own prefix), in batches; nothing else is touched. */
export async function deleteNamespace(url: string, namespace: string): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${namespace}:*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  } finally {
    await redis.quit();
  }
}
