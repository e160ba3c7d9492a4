import type { TeamRef } from '../app/ports.ts';

/**
 * Every Redis key name, built in one place. A team's keys share the hash tag `{tenant:team}`, so
 * one team's data sits in one Redis Cluster slot and its multi-key scripts stay atomic there.
 * Ids are URI-encoded: Teams ids hold `:` and `@`, and a `}` would end the hash tag early.
 */

/**
 * Bumped when a stored value's shape changes, so a later release can recognise and migrate old
 * values. 2: a run's members moved out of the run value into one entry each (`members`).
 */
export const SCHEMA_VERSION = 2;
/** Versions this release reads: 1 differs from 2 only in the run value, which still held the members. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2];

/** Every key starts with this; a test or a second deployment on the same Redis uses its own. */
export const DEFAULT_NAMESPACE = 'sb';
const enc = encodeURIComponent;

export function teamTag(team: TeamRef): string {
  return `{${enc(team.tenant)}:${enc(team.team)}}`;
}

/**
 * The keys shared by all teams (the teams index, the due index, the delivery queue, the command
 * stream) are split into this many shards, each under a hash tag of its own: on Redis Cluster their slots fall on
 * different masters, so the work of many teams spreads over them instead of landing on one. A team's entries sit in
 * one shard (`shardOf`), so each read or script about one team touches one slot; reads over all teams ask every shard.
 */
export const SHARDS = 16;
export const SHARD_NUMBERS: readonly number[] = Array.from({ length: SHARDS }, (_, shard) => shard);

/** The shard of a team (or of any other text): FNV-1a, the same in every process and release. */
export function shardOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SHARDS;
}
export const teamShard = (team: TeamRef) => shardOf(teamIndexMember(team));

/** One shard's key of a global structure: `<namespace>:<name>:{<name>-<shard>}`, so each shard hashes to its own slot. */
const sharded = (namespace: string, name: string, shard: number) => `${namespace}:${name}:{${name}-${shard}}`;

/** set: the index of teams (one shard each), for the CLI, the scheduler's start and the retention sweep. */
export const teamsIndex = (shard: number, namespace = DEFAULT_NAMESPACE) => sharded(namespace, 'teams', shard);
export const teamIndexMember = (team: TeamRef) => `${enc(team.tenant)}/${enc(team.team)}`;
export function teamFromIndexMember(member: string): TeamRef {
  const [tenant = '', team = ''] = member.split('/');
  return { tenant: decodeURIComponent(tenant), team: decodeURIComponent(team) };
}

/**
 * The scheduler's due-time index (src/scheduler/tick.ts), one pair of keys per shard. Both keys of a shard share
 * its hash tag: the tick's conditional write reads the revision and sets the time in one script, which Redis
 * Cluster allows only within one slot.
 */
export const dueIndexKeys = (shard: number, namespace = DEFAULT_NAMESPACE) => {
  const t = `${namespace}:due:{due-${shard}}`;
  return {
    /** sorted set: team index member (`teamIndexMember`) → when something of its run is next due (ms); 0: to be computed by the next tick */
    runs: `${t}:runs`,
    /** hash: team index member → a counter bumped by every change that can bring the run's due time forward (save, member, snooze) */
    revisions: `${t}:revisions`,
  };
};

/** Where releases before the shards kept the global structures (one key each): read once by `moveUnshardedKeys` and removed. */
export const unshardedKeys = (namespace = DEFAULT_NAMESPACE) => ({
  teams: `${namespace}:teams`,
  queue: `${namespace}:queue`,
  dueRuns: `${namespace}:{due}:runs`,
  dueRevisions: `${namespace}:{due}:revisions`,
});

/**
 * Keys are asked for on every read and write (a send alone asks several times), and each set is a dozen
 * closures: kept per team and namespace once made, up to this many sets (then started afresh).
 */
const KEY_SETS_KEPT = 10_000;
const teamKeySets = new Map<string, ReturnType<typeof buildKeysFor>>();
const limitKeySets = new Map<string, ReturnType<typeof buildLimitKeys>>();

function kept<T>(sets: Map<string, T>, key: string, build: () => T): T {
  let set = sets.get(key);
  if (!set) {
    if (sets.size >= KEY_SETS_KEPT) sets.clear();
    set = build();
    sets.set(key, set);
  }
  return set;
}

export function keysFor(team: TeamRef, namespace = DEFAULT_NAMESPACE) {
  return kept(teamKeySets, JSON.stringify([namespace, team.tenant, team.team]), () => buildKeysFor(team, namespace));
}

function buildKeysFor(team: TeamRef, namespace: string) {
  const t = `${namespace}:${teamTag(team)}`;
  return {
    /** string: the run's own fields (schema 1: with the members inside) */
    run: `${t}:run`,
    /** hash: user id → the member's roles, name and address, one field each so concurrent installs never overwrite each other */
    members: `${t}:members`,
    /** sorted set: user id → when the member was first added (a counter), so a run lists its members in a stable order */
    memberOrder: `${t}:member-order`,
    conversations: `${t}:conversations`,
    /** hash: user id → the latest named reply */
    replies: (occurrenceId: string) => `${t}:replies:${enc(occurrenceId)}`,
    /** list: a named reply's earlier versions, oldest first */
    history: (occurrenceId: string, userId: string) => `${t}:history:${enc(occurrenceId)}:${enc(userId)}`,
    /**
     * sorted set: an anonymous occurrence's answers, each with a random id and the day only, scored by a
     * random number, so their order says nothing about who came when
     */
    anonymousAnswers: (occurrenceId: string) => `${t}:anonymous-answers:${enc(occurrenceId)}`,
    /**
     * sorted set, every score 0: the keyed markers of who answered an anonymous occurrence (never a user
     * id), so they sort by the marker itself and not by arrival
     */
    answeredMarkers: (occurrenceId: string) => `${t}:answered:${enc(occurrenceId)}`,
    /** hash: random id → an anonymous reply, as releases before the markers wrote it; read once to move it to `anonymousAnswers` */
    legacyAnonymous: (occurrenceId: string) => `${t}:anonymous:${enc(occurrenceId)}`,
    /** set: user ids with a named reply (earlier releases also put anonymous respondents here; they are moved to markers) */
    respondents: (occurrenceId: string) => `${t}:respondents:${enc(occurrenceId)}`,
    /** set: user ids whose named reply has earlier versions (so reads fetch history only for them) */
    edited: (occurrenceId: string) => `${t}:edited:${enc(occurrenceId)}`,
    /** sorted set: occurrences with replies, scored by their oldest reply's time (ms): for retention, export, erase */
    occurrences: `${t}:occurrences`,
    /** hash: `kind|occurrence` → the latest version of a document */
    documents: `${t}:documents`,
    /** list: every version of one document, oldest first (`field` as in `documents`) */
    documentVersions: (field: string) => `${t}:document-versions:${enc(field)}`,
    /** hash: message id → a playground message, per conversation */
    localMessages: (conversation: string) => `${t}:local-messages:${enc(conversation)}`,
    /** list: the playground's sent mails */
    localMails: `${t}:local-mails`,
    /** hash: recipient key → the occurrence's work item for that recipient */
    outbox: (occurrenceId: string) => `${t}:outbox:${enc(occurrenceId)}`,
    /** hash: recipient key → "lease token|until (ms, Redis time)" of the occurrence's items taken by a worker; the lease ends with the outcome */
    outboxLeases: (occurrenceId: string) => `${t}:outbox-leases:${enc(occurrenceId)}`,
    /** list: the team's dead letters, newest last (`sparring status --team`, `sparring resend`) */
    deadLetters: `${t}:dead-letters`,
    /** set: occurrence ids (not encoded) with an outbox hash, written at enqueue: how export, erase and retention find a team's items without SCAN */
    outboxOccurrences: `${t}:outbox-occurrences`,
    /** string with a lease: the replica firing this occurrence */
    claim: (occurrenceId: string) => `${t}:claim:${enc(occurrenceId)}`,
    /** set: occurrences fired (or skipped as stale): never fired again */
    fired: `${t}:fired`,
    /** hash: JSON [user id, occurrence id] → that person's hours for the occurrence (one entry each) */
    hours: `${t}:hours`,
    /** hash: user id → the person's mute of reminders to answer (programme, run start, when) */
    reminderMutes: `${t}:reminder-mutes`,
    /** sorted set: `<occurrence>|<user id>` (each encoded) → when the snoozed reminder comes again (ms); taken (deleted) when it does */
    snoozes: `${t}:snoozes`,
  };
}

/**
 * string: the app's Slack installation (OAuth) of a workspace (`T…`) or enterprise (`E…`), with its bot
 * token. Outside every team's hash tag: a workspace holds many teams, and it is read and written alone.
 */
export const slackInstallationKey = (key: string, namespace = DEFAULT_NAMESPACE) => `${namespace}:slack-installation:${enc(key)}`;

/** string with a TTL: an inbound activity already received (SeenActivities); the key is the receiver's (Teams: a hash of conversation and activity id). */
export const seenKey = (key: string, namespace = DEFAULT_NAMESPACE) => `${namespace}:seen:${enc(key)}`;

/** The delivery queue, one sorted set per shard (member = team|occurrence|recipient, score = when it may be tried); a team's items in its shard. */
export const queueKey = (shard: number, namespace = DEFAULT_NAMESPACE) => sharded(namespace, 'queue', shard);
export const teamQueueKey = (team: TeamRef, namespace = DEFAULT_NAMESPACE) => queueKey(teamShard(team), namespace);
/** stream per shard: slash commands acked and still to be answered, read by the command workers' consumer group */
export const commandsKey = (shard: number, namespace = DEFAULT_NAMESPACE) => sharded(namespace, 'commands', shard);
/** Dead letters of all teams in one list, as releases before the per-team lists wrote them; moved to their teams' lists when first read. */
export const legacyDeadLettersKey = (namespace = DEFAULT_NAMESPACE) => `${namespace}:dead-letters`;
export const queueMember = (team: TeamRef, occurrenceId: string, recipient: string) => `${teamIndexMember(team)}|${enc(occurrenceId)}|${enc(recipient)}`;
export function parseQueueMember(member: string): { team: TeamRef; occurrenceId: string; recipient: string } {
  const [team = '', occurrenceId = '', recipient = ''] = member.split('|');
  return { team: teamFromIndexMember(team), occurrenceId: decodeURIComponent(occurrenceId), recipient: decodeURIComponent(recipient) };
}

/**
 * Rate-limit keys of one platform tenant (Teams tenant, Slack workspace) share a hash tag, so one
 * script checks the tenant's limit, the conversation's limits and any 429 back-off at once.
 */
export function limitKeys(platform: string, tenant: string, namespace = DEFAULT_NAMESPACE) {
  return kept(limitKeySets, JSON.stringify([namespace, platform, tenant]), () => buildLimitKeys(platform, tenant, namespace));
}

function buildLimitKeys(platform: string, tenant: string, namespace: string) {
  const t = `${namespace}:limit:{${enc(platform)}:${enc(tenant)}}`;
  return {
    /** sorted set: send id → when it was granted (ms), within the tenant's longest window */
    sends: `${t}:sends`,
    /** sorted set: the same for one conversation, within its longest window */
    conversationSends: (conversationId: string) => `${t}:conversation:${enc(conversationId)}:sends`,
    /** sorted set: a refused send's id → the slot held for it (ms), until its holder takes it or is late for it */
    held: `${t}:held`,
    /** sorted set: the same for one conversation */
    conversationHeld: (conversationId: string) => `${t}:conversation:${enc(conversationId)}:held`,
    /** the tenant runs at 80% of its rate until this time (ms) */
    slowedUntil: `${t}:slowed-until`,
    /** sorted set: the tenant's recent 429s (`<send>@<ms>` → ms), to tell repeated ones from a stray one */
    throttles: `${t}:throttles`,
    /** up to when (ms) the tenant's fan-outs are already spread */
    pace: `${t}:pace`,
    /** a conversation that got a 429 waits until this time (ms) */
    conversationUntil: (conversationId: string) => `${t}:conversation:${enc(conversationId)}:throttled-until`,
  };
}
