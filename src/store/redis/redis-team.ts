import type { Cluster, Redis } from 'ioredis';
import type { TeamRef } from '../../app/ports.ts';
import { keysFor, teamFromIndexMember, teamIndexMember, teamsIndex } from '../keys.ts';

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
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
  // ioredis adds commands made by defineCommand at run time; its types cannot know them.
  return (...args) => (redis as unknown as Record<string, Script>)[name]!(...args);
}

/**
 * What every port of the Redis store shares: the connection, the key names of a team and the
 * index of teams.
 */
export class RedisTeams {
  readonly redis: Client;
  /** Prefix of every key (default `sb`); tests use their own so they touch nothing else. */
  readonly namespace?: string;
  /** Teams already in the teams index (by `seen`): it lives in another cluster slot, so it is written apart, once per process. */
  private readonly known = new Set<string>();
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
    return this.redis.sadd(teamsIndex(this.namespace), teamIndexMember(team)).then(() => {
      this.known.add(id);
    });
  }

  async list(): Promise<TeamRef[]> {
    return (await this.redis.smembers(teamsIndex(this.namespace))).sort().map(teamFromIndexMember);
  }
}
