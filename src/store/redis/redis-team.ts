import type { Cluster, Redis } from 'ioredis';
import type { TeamRef } from '../../app/ports.ts';
import { keysFor, teamFromIndexMember, teamIndexMember, teamsIndex } from '../keys.ts';

export type Client = Redis | Cluster;
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
  /** Teams already in the teams index: it lives in another cluster slot, so it is written apart, once per process. */
  private readonly known = new Set<string>();
  /** Each team's key names, built once: every reply asks for them. */
  private readonly keyNames = new Map<string, ReturnType<typeof keysFor>>();

  constructor(
    readonly redis: Client,
    /** Prefix of every key (default `sb`); tests use their own so they touch nothing else. */
    readonly namespace?: string,
  ) {}

  keys(team: TeamRef) {
    const member = teamIndexMember(team);
    let keys = this.keyNames.get(member);
    if (!keys) {
      // Memory, not correctness: a process that has seen this many teams starts over.
      if (this.keyNames.size >= KEY_NAMES_KEPT) this.keyNames.clear();
      keys = keysFor(team, this.namespace);
      this.keyNames.set(member, keys);
    }
    return keys;
  }

  /**
   * Every write of a team's data calls this first, so the CLI and the retention sweep find the team.
   * Nothing to wait for (undefined) once this process has written it.
   */
  remember(team: TeamRef): Promise<void> | undefined {
    const member = teamIndexMember(team);
    if (this.known.has(member)) return undefined;
    return this.redis.sadd(teamsIndex(this.namespace), member).then(() => {
      this.known.add(member);
    });
  }

  async list(): Promise<TeamRef[]> {
    return (await this.redis.smembers(teamsIndex(this.namespace))).sort().map(teamFromIndexMember);
  }
}
