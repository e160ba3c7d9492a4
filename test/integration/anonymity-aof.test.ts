// What Redis itself records of anonymous answers: the append-only file (what a backup or a replica
// gets) and MONITOR (what an operator watching the server sees). Neither may carry a person's id in a
// command with an anonymous answer. A private redis-server, as AOF and MONITOR see every client.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplyToRecord, TeamRef } from '../../src/app/ports.ts';
import { RedisStore } from '../../src/store/redis/redis-store.ts';
import { removeServerFolder, type RedisServer, startRedisServer } from '../support/redis-server.ts';
import { countingRandom } from '../support/stores.ts';
import { waitFor } from '../support/wait-for.ts';

const TEAM: TeamRef = { tenant: 'tenant-aof', team: 'team-aof' };
const PEOPLE = [1, 2, 3, 4, 5].map((n) => ({ userId: `uid-7f3a-${n}`, platform: 'teams' as const, platformUserId: `29:aad-c41e-${n}` }));
const IDS = PEOPLE.flatMap((p) => [p.userId, p.platformUserId]);
const anonymousText = (n: number) => `Hemmeligt svar med æøå nr. ${n}`;
const namedText = (n: number) => `Navngivet refleksion nr. ${n}`;

const reply = (n: number, anonymous: boolean): ReplyToRecord => ({
  occurrenceId: anonymous ? 'spoergeskema-1' : 'tema-1-1',
  respondent: PEOPLE[n - 1]!,
  answers: { outcome: 'answered', values: anonymous ? { tryghed: String(n), tanker: anonymousText(n) } : { legestemninger: namedText(n) } },
  at: `2026-08-20T09:0${n}:00.000Z`,
  anonymous,
  day: '2026-08-20',
});

/** The commands of a RESP stream such as the AOF, each as its arguments (lengths are in bytes, hence Buffers). */
function commandsOf(aof: Buffer): string[][] {
  const commands: string[][] = [];
  let at = 0;
  const line = () => {
    const end = aof.indexOf('\r\n', at);
    const text = aof.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  while (at < aof.length) {
    const header = line();
    if (!header.startsWith('*')) throw new Error(`not a RESP array at byte ${at}: ${header}`);
    const args: string[] = [];
    for (let i = Number(header.slice(1)); i > 0; i--) {
      const length = Number(line().slice(1));
      args.push(aof.subarray(at, at + length).toString('utf8'));
      at += length + 2;
    }
    commands.push(args);
  }
  return commands;
}

/** MONITOR shows a byte outside printable ASCII as `\\xHH`: back to the UTF-8 text it was. */
function fromMonitor(arg: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < arg.length; i++) {
    const escaped = arg.slice(i).match(/^\\x([0-9a-f]{2})/);
    if (escaped) {
      bytes.push(Number.parseInt(escaped[1]!, 16));
      i += 3;
    } else bytes.push(arg.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

function incrementalAof(dir: string): Buffer {
  const folder = join(dir, 'appendonlydir');
  const files = readdirSync(folder).filter((f) => f.endsWith('.incr.aof'));
  return Buffer.concat(files.sort().map((f) => readFileSync(join(folder, f))));
}

/** Commands that carry both an id of a person and the text of an anonymous answer. */
function mixed(commands: string[][]): string[] {
  return commands.map((args) => args.join(' ')).filter((command) => IDS.some((id) => command.includes(id)) && PEOPLE.some((_, i) => command.includes(anonymousText(i + 1))));
}

let server: RedisServer | undefined;
const clients: Redis[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  if (server) {
    await server.stop();
    removeServerFolder(server);
    server = undefined;
  }
});

describe('anonymous answers as Redis records them (appendonly yes, MONITOR)', () => {
  it('never carry a user id or platform id in a command with an anonymous answer', async () => {
    server = await startRedisServer({ aof: true, dir: mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'sparring-anon-aof-')) });
    const watcher = new Redis(server.url);
    clients.push(watcher);
    const monitor = await watcher.monitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => seen.push(args.map(fromMonitor)));

    const client = new Redis(server.url);
    clients.push(client);
    const store = new RedisStore(client, countingRandom(), `sbanon-${randomUUID()}`);
    // Each person answers a named reflection and the anonymous questionnaire: their ids do reach Redis.
    for (let n = 1; n <= PEOPLE.length; n++) {
      expect(await store.recordReply(TEAM, reply(n, false))).toBe('created');
      expect(await store.recordReply(TEAM, reply(n, true))).toBe('created');
    }
    expect(await store.recordReply(TEAM, reply(2, true))).toBe('anonymousAlreadyAnswered');
    await client.ping('end-of-writes');
    await waitFor(() => seen.some((args) => args.join(' ').includes('end-of-writes')) || seen.length, { what: 'MONITOR to show the last command' });

    const aof = commandsOf(incrementalAof(server.dir));
    for (const [what, commands] of [
      ['AOF', aof],
      ['MONITOR', seen],
    ] as const) {
      const text = commands.map((args) => args.join(' ')).join('\n');
      // The search finds what is there: every id (named replies) and every anonymous answer reach Redis.
      for (const id of IDS) expect(text, `${id} in ${what}`).toContain(id);
      for (let n = 1; n <= PEOPLE.length; n++) expect(text, `answer ${n} in ${what}`).toContain(anonymousText(n));
      expect(mixed(commands), what).toEqual([]);
      // Nor a time finer than the day beside an anonymous answer.
      const anonymous = commands.map((args) => args.join(' ')).filter((command) => PEOPLE.some((_, i) => command.includes(anonymousText(i + 1))));
      expect(
        anonymous.filter((command) => /T\d\d:\d\d/.test(command)),
        what,
      ).toEqual([]);
    }
    // Redis writes a script's effects as one MULTI … EXEC: no such transaction may name a person either.
    const transactions: string[][] = [];
    let open: string[][] | undefined;
    for (const args of aof) {
      const name = args[0]!.toUpperCase();
      if (name === 'MULTI') open = [];
      else if (name === 'EXEC' && open) {
        transactions.push(open.map((a) => a.join(' ')));
        open = undefined;
      } else open?.push(args);
    }
    expect(mixed(transactions)).toEqual([]);
  });
});
