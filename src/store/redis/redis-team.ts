import type { Cluster, Redis } from 'ioredis';
import type { TeamRef } from '../../app/ports.ts';
import { keysFor, teamFromIndexMember, teamIndexMember, teamsIndex } from '../keys.ts';

export type Client = Redis | Cluster;
export type Script = (...args: Array<string | number>) => Promise<unknown>;

/** A Lua script as a function; defined once per connection, then run by its hash (EVALSHA). */
export function script(redis: Client, name: string, numberOfKeys: number, lua: string): Script {
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
  /** Teams already in the teams index: it lives in another cluster slot, so it is written apart, once per process. */
  private readonly known = new Set<string>();

  constructor(redis: Client, namespace?: string) {
    this.redis = redis;
    this.namespace = namespace;
  }

  keys(team: TeamRef) {
    return keysFor(team, this.namespace);
  }

  /** Every write of a team's data calls this first, so the CLI and the retention sweep find the team. */
  async remember(team: TeamRef) {
    const member = teamIndexMember(team);
    if (this.known.has(member)) return;
    await this.redis.sadd(teamsIndex(this.namespace), member);
    this.known.add(member);
  }

  async list(): Promise<TeamRef[]> {
    return (await this.redis.smembers(teamsIndex(this.namespace))).sort().map(teamFromIndexMember);
  }
}
