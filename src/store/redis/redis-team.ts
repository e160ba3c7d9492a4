import { createHash } from 'node:crypto';
import { type Cluster, Command, type Redis } from 'ioredis';
import type { TeamRef } from '../../app/ports.ts';
import { keysFor, SHARD_NUMBERS, teamFromIndexMember, teamIndexMember, teamShard, teamsIndex } from '../keys.ts';

export type Client = Redis | Cluster;
export type TeamKeys = ReturnType<typeof keysFor>;

/** A team as this process tells teams apart in memory: cheaper than its index member, which URI-encodes both ids. */
const seen = (team: TeamRef) => `${team.tenant}\u0000${team.team}`;
const KEY_NAMES_KEPT = 10_000;
export type Script = (...args: Array<string | number>) => Promise<unknown>;

/**
 * A Lua script as a function; defined once per connection, then run by its hash (EVALSHA). Without
 * `numberOfKeys`, the function's first argument says how many keys follow (a batch of calls).
 */
export function script(redis: Client, name: string, numberOfKeys: number | undefined, lua: string): Script {
  if (numberOfKeys === undefined) return scriptWithKeyCount(redis, lua);
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  // ioredis adds commands made by defineCommand at run time; its types cannot know them.
  return (...args) => (redis as unknown as Record<string, Script>)[name]!(...args);
}

type Run = (command: 'evalsha' | 'eval', first: string, args: Array<string | number>) => Promise<unknown>;

/**
 * A script whose caller says how many keys follow, run as EVALSHA itself rather than as a defined command: the
 * client's automatic pipelining on a cluster groups commands by their first key, and for a defined command with
 * a key count it would take the count for the key, putting scripts of different slots in one pipeline (refused).
 * EVALSHA's keys it knows. Sent whole (EVAL) only when the server does not have it yet (after a restart).
 */
function scriptWithKeyCount(redis: Client, lua: string): Script {
  const evaluator = redis as unknown as Record<'evalsha' | 'eval', (...args: Array<string | number>) => Promise<unknown>>;
  return byHash(lua, (command, first, args) => evaluator[command](first, ...args));
}

/**
 * As a script whose caller says how many keys follow, for a call that is itself a batch of many (ScriptBatches):
 * written to the connection at once, past the client's automatic pipelining, which would hold it for another turn
 * of the event loop and add a pipeline's bookkeeping to every call for nothing (replies 0.33 -> 0.43 of a bare
 * SET loop in `npm run bench:store`'s rounds).
 */
export function unpipelinedScript(redis: Client, lua: string): Script {
  return byHash(lua, (command, first, args) => {
    const sent = new Command(command, [first, ...args], { replyEncoding: 'utf8' });
    void redis.sendCommand(sent);
    return sent.promise;
  });
}

/** Runs the script by its hash, and whole only when the server does not have it yet. */
function byHash(lua: string, run: Run): Script {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (...args) => {
    try {
      return await run('evalsha', sha, args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return run('eval', lua, args);
    }
  };
}

/**
 * What every port of the Redis store shares: the connection, the key names of a team and the
 * index of teams.
 */
export class RedisTeams {
  readonly redis: Client;
  /** Prefix of every key (default `sb`); tests use their own so they touch nothing else. */
  readonly namespace?: string;
  /** Teams already in the teams index (by `seen`): its shard lives in another cluster slot, so it is written apart, once per process. */
  private readonly known = new Set<string>();
  /** Teams being written to the index now (by `seen`): every write of theirs waits for the same one. */
  private readonly remembering = new Map<string, Promise<void>>();
  /** Each team's key names (by `seen`), built once: every reply asks for them. */
  private readonly keyNames = new Map<string, TeamKeys>();

  constructor(redis: Client, namespace?: string) {
    this.redis = redis;
    this.namespace = namespace;
  }

  keys(team: TeamRef): TeamKeys {
    const id = seen(team);
    let keys = this.keyNames.get(id);
    if (!keys) {
      // Memory, not correctness: a process that has seen this many teams starts over.
      if (this.keyNames.size >= KEY_NAMES_KEPT) this.keyNames.clear();
      keys = keysFor(team, this.namespace);
      this.keyNames.set(id, keys);
    }
    return keys;
  }

  /**
   * Every write of a team's data calls this first, so the CLI and the retention sweep find the team.
   * Nothing to wait for (undefined) once this process has written it.
   */
  remember(team: TeamRef): Promise<void> | undefined {
    const id = seen(team);
    if (this.known.has(id)) return undefined;
    // Replies that arrive together for a new team share one write, and so go on together: into one batch
    // (ScriptBatches), where a write each would let them go on as their answers came, in several.
    let writing = this.remembering.get(id);
    if (!writing) {
      writing = this.redis.sadd(teamsIndex(teamShard(team), this.namespace), teamIndexMember(team)).then(
        () => {
          this.known.add(id);
          this.remembering.delete(id);
        },
        (error: unknown) => {
          this.remembering.delete(id);
          throw error;
        },
      );
      this.remembering.set(id, writing);
    }
    return writing;
  }

  async list(): Promise<TeamRef[]> {
    const shards = await Promise.all(SHARD_NUMBERS.map((shard) => this.redis.smembers(teamsIndex(shard, this.namespace))));
    return shards.flat().sort().map(teamFromIndexMember);
  }
}
