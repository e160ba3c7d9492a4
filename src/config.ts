import { createHmac } from 'node:crypto';
// The only reader of process.env: parsed once at start-up, typed and frozen. A bad value fails fast,
// with one message that names every bad or missing variable.
import { z } from 'zod';
import { ConfigError } from './config-error.ts';

export { ConfigError };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An optional variable that `.env.example` ships empty: empty means unset. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
/** `host:port,host:port,…`: a port 1-65535 after each host, IPv6 hosts in brackets. */
const CLUSTER_NODE = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const clusterNodes = optional(
  z.string().transform((text, ctx) => {
    const nodes = text.split(',').map((part) => {
      const match = CLUSTER_NODE.exec(part.trim());
      const port = Number(match?.[2]);
      return match && port >= 1 && port <= 65535 ? { host: match[1]!.replace(/^\[|\]$/g, ''), port } : undefined;
    });
    if (nodes.some((node) => node === undefined)) {
      const bad = text.split(',').find((_part, i) => !nodes[i]) ?? '';
      ctx.addIssue({ code: 'custom', message: `must be host:port pairs separated by commas, such as 10.0.0.1:6379,10.0.0.2:6379 (not understood: "${bad.trim()}")` });
      return z.NEVER;
    }
    return nodes as Array<{ host: string; port: number }>;
  }),
);
const flag = optional(z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true'));

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    /** `pretty` for a person at a terminal, `json` for a log collector; unset: pretty when stdout is a terminal. */
    LOG_FORMAT: optional(z.enum(['json', 'pretty'])),
    REDIS_URL: optional(z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })),
    /** Redis Cluster instead of one server: some of its nodes (`host:port,…`); the client learns the rest from them. */
    REDIS_CLUSTER_NODES: clusterNodes,
    /**
     * How long a store command may wait for Redis (ms) before the person is told to try again; 0 waits for ever.
     * A click answered with "try again" is safe to repeat: every write is idempotent.
     */
    REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5_000),
    /** Every Redis key starts with this: two deployments (or a test) can share one Redis. */
    REDIS_NAMESPACE: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and -')
      .default('sb'),
    /**
     * What this process runs: `all` (default) the HTTP endpoints and the background work; `web` only the
     * endpoints (acks; the work they queue is left to workers); `worker` only the background work (scheduler,
     * delivery, answers to queued commands) with /healthz. web and worker meet in Redis.
     */
    PROCESS_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
    /**
     * How long a card or mail a delivery worker has taken stays its own (ms). A live worker extends it every third
     * of that while it sends; a worker that died has its items sent by another this long after. At least 10 s, so a
     * renewal that waits on Redis (REDIS_COMMAND_TIMEOUT_MS) still lands in time.
     */
    DELIVERY_LEASE_MS: z.coerce.number().int().min(10_000).max(3_600_000).default(60_000),
    /**
     * Cards and mails a replica sends at once. A replica killed mid-send may send each of those again (Teams takes
     * no idempotency key, and a bot cannot read its 1:1 chats back), so 1 means at most one twice per crash, at one
     * send per round trip to the platform; the default keeps up with a tenant's 50 a second.
     */
    DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    PROGRAMMES_DIR: optional(z.string().min(1)),
    /** Where the embedded store keeps its data when REDIS_URL is empty. */
    DATA_FILE: z.string().min(1).default('.data/sparringsbot.json'),
    /** The browser playground: on when no platform channel is configured, unless false; true turns it on beside them. */
    PLAYGROUND: flag,
    /** The programme the playground's demo team runs. */
    DEMO_PROGRAMME: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'a programme id such as odense-science-boernehoejde')
      .default('odense-science-boernehoejde'),
    /** The demo run's first day (YYYY-MM-DD); empty: this week's Monday. */
    DEMO_START: optional(z.iso.date('a date written YYYY-MM-DD')),
    /** Replies older than this many days are deleted; 0 keeps them. A school year and its summer by default. */
    RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(400),
    /** The key of the anonymous "has answered" markers (see anonymitySecret). */
    ANONYMITY_SECRET: optional(z.string().min(32, 'at least 32 characters: generate one with openssl rand -hex 32')),
    /** The mail server for the pre-visit mail, e.g. smtp://user:pass@host:587 (smtps:// for TLS from the start). */
    SMTP_URL: optional(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' })),
    /** The sender of the bot's mails, e.g. "Sparringsbot <sparring@skole.dk>". */
    MAIL_FROM: optional(z.string().min(3)),
    /** Teams: the bot's Microsoft App id (Azure Bot registration). Set, Teams is on. */
    MICROSOFT_APP_ID: optional(z.string().min(1)),
    MICROSOFT_APP_PASSWORD: optional(z.string().min(1)),
    MICROSOFT_APP_TENANT_ID: optional(z.string().min(1)),
    MICROSOFT_APP_TYPE: optional(z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'])).transform((v) => v ?? 'MultiTenant'),
    /** Local testing only: Teams on with no app id and no authentication at all. */
    TEAMS_AUTH_DISABLED: flag,
    /** The https address where Teams reaches this server (its /api/messages); `npm run manifest:teams` puts its host in the app. */
    PUBLIC_URL: optional(z.url({ protocol: /^https$/, error: 'must be an https:// URL: the address where Teams reaches this server' })),
    /** Slack: the app's signing secret (Basic Information). Set, Slack is on at POST /slack/events. */
    SLACK_SIGNING_SECRET: optional(z.string().min(1)),
    /** Slack, one workspace: the bot token (xoxb-…) the Web API is called with. */
    SLACK_BOT_TOKEN: optional(z.string().regex(/^xoxb-/, 'must be a bot token (xoxb-…)')),
    /** Slack, many workspaces: the app's OAuth client id, secret and a secret for the install state; each workspace installs at /slack/install. */
    SLACK_CLIENT_ID: optional(z.string().min(1)),
    SLACK_CLIENT_SECRET: optional(z.string().min(1)),
    SLACK_STATE_SECRET: optional(z.string().min(16, 'must be at least 16 characters: generate one with openssl rand -hex 32')),
    /** Slack's Web API, with a trailing slash (empty: https://slack.com/api/); tests point it at a fake. */
    SLACK_API_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' })),
  })
  .superRefine((env, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (env.REDIS_URL && env.REDIS_CLUSTER_NODES) problem('REDIS_CLUSTER_NODES', 'set REDIS_URL (one Redis server) or REDIS_CLUSTER_NODES (a Redis Cluster), not both');
    if (env.PROCESS_ROLE !== 'all' && !env.REDIS_URL && !env.REDIS_CLUSTER_NODES)
      problem('REDIS_URL', `needed with PROCESS_ROLE=${env.PROCESS_ROLE}: the web and worker processes share their work through Redis (or set REDIS_CLUSTER_NODES)`);
    if (env.PROCESS_ROLE !== 'all' && env.PLAYGROUND) problem('PLAYGROUND', `cannot be true with PROCESS_ROLE=${env.PROCESS_ROLE}: the playground runs in one process (PROCESS_ROLE=all)`);
    if (env.SMTP_URL && !env.MAIL_FROM) problem('MAIL_FROM', "needed with SMTP_URL: the sender of the bot's mails");
    if (env.MICROSOFT_APP_ID && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !env.MICROSOFT_APP_PASSWORD) problem('MICROSOFT_APP_PASSWORD', 'needed with MICROSOFT_APP_ID');
    if (env.MICROSOFT_APP_TYPE !== 'MultiTenant' && !env.MICROSOFT_APP_TENANT_ID) problem('MICROSOFT_APP_TENANT_ID', `needed with MICROSOFT_APP_TYPE=${env.MICROSOFT_APP_TYPE}`);
    if (env.MICROSOFT_APP_ID && env.TEAMS_AUTH_DISABLED) problem('TEAMS_AUTH_DISABLED', 'cannot be true with MICROSOFT_APP_ID set');
    const oauth = Boolean(env.SLACK_CLIENT_ID || env.SLACK_CLIENT_SECRET || env.SLACK_STATE_SECRET);
    if (env.SLACK_SIGNING_SECRET && !env.SLACK_BOT_TOKEN && !oauth)
      problem('SLACK_BOT_TOKEN', 'needed with SLACK_SIGNING_SECRET (one workspace), or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (OAuth)');
    if (env.SLACK_BOT_TOKEN && oauth) problem('SLACK_BOT_TOKEN', 'one workspace (SLACK_BOT_TOKEN) or OAuth (SLACK_CLIENT_ID …), not both');
    if (oauth) for (const name of ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_SIGNING_SECRET'] as const) if (!env[name]) problem(name, 'needed for Slack OAuth');
  });

export type Config = Readonly<z.infer<typeof envSchema>>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration (see .env.example): ${problems.join('; ')}`);
  }
  return Object.freeze(result.data);
}

/** Whether the store, delivery and queues are on Redis (one server or a cluster) rather than in this process. */
export function onRedis(config: Pick<Config, 'REDIS_URL' | 'REDIS_CLUSTER_NODES'>): boolean {
  return Boolean(config.REDIS_URL || config.REDIS_CLUSTER_NODES);
}

/** The platform channels this configuration turns on. */
export function platformChannels(config: Config): Array<'teams' | 'slack'> {
  const channels: Array<'teams' | 'slack'> = [];
  if (config.MICROSOFT_APP_ID || config.TEAMS_AUTH_DISABLED) channels.push('teams');
  if (config.SLACK_SIGNING_SECRET) channels.push('slack');
  return channels;
}

/**
 * The playground's key for anonymous markers. Fixed, not random per start: a new key would make every
 * marker in an existing DATA_FILE unknown, so people could answer an open questionnaire again, and
 * `sparring export` must compute the markers the server wrote. Its data is a demo, so a key anyone
 * can read protects nothing that needs it.
 */
export const DEVELOPMENT_ANONYMITY_SECRET = 'sparringsbot-development-only-anonymity-secret';

/**
 * The key of the anonymous "has answered" markers. A platform channel means real people answer, so
 * without ANONYMITY_SECRET start-up stops; Teams with authentication off is a local test, where anyone
 * can answer as anyone and nothing anonymous is at stake.
 */
export function anonymitySecret(config: Config): string {
  if (config.ANONYMITY_SECRET) return config.ANONYMITY_SECRET;
  const production = platformChannels(config).some((channel) => !(channel === 'teams' && config.TEAMS_AUTH_DISABLED));
  if (production) throw new ConfigError('invalid configuration (see .env.example): ANONYMITY_SECRET: needed with a platform channel on; generate one with openssl rand -hex 32');
  return DEVELOPMENT_ANONYMITY_SECRET;
}

/** The key of the pseudonyms person ids are logged under: derived from the deployment's secret, never the secret itself. */
export function logPseudonymKey(config: Config): string {
  return createHmac('sha256', anonymitySecret(config)).update('sparringsbot log pseudonyms').digest('hex');
}

/** The playground runs when no platform channel is configured, unless PLAYGROUND=false; PLAYGROUND=true runs it beside them. */
export function playgroundOn(config: Config): boolean {
  if (config.PROCESS_ROLE !== 'all') return false;
  return config.PLAYGROUND ?? platformChannels(config).length === 0;
}

/** Refuses a configuration that would serve nothing: no platform channel, and no playground either. */
export function checkSomethingServed(config: Config): void {
  if (config.PROCESS_ROLE !== 'all' && platformChannels(config).length === 0) {
    throw new ConfigError(
      `PROCESS_ROLE=${config.PROCESS_ROLE} and no platform channel is configured: set MICROSOFT_APP_ID (Teams) or SLACK_SIGNING_SECRET (Slack), or PROCESS_ROLE=all for the playground`,
    );
  }
  if (config.PLAYGROUND === false && platformChannels(config).length === 0) {
    throw new ConfigError('PLAYGROUND=false and no platform channel is configured: set MICROSOFT_APP_ID (Teams) or SLACK_SIGNING_SECRET (Slack), or leave PLAYGROUND unset to run the playground');
  }
}
