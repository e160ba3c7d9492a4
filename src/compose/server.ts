import type { Channel, Logger, OutboxRecords } from '../app/ports.ts';
import { isDemoTeam } from '../channels/local/demo.ts';
import type { Receiver } from '../channels/receiver.ts';
import { anonymitySecret, checkSomethingServed, type Config, platformChannels, playgroundOn } from '../config.ts';
import { DEFAULT_DELIVERY } from '../delivery/deliver.ts';
import { startDelivery } from '../delivery/loop.ts';
import type { Platform } from '../domain/replies/reply.ts';
import { isLoopback, listen } from '../http/listen.ts';
import type { StartingServer } from '../http/starting.ts';
import { calendarRoute } from '../http/calendar-route.ts';
import { createApp } from '../http/server.ts';
import { startScheduler } from '../scheduler/loop.ts';
import { warnUnlessPersistent } from '../store/redis/persistence-check.ts';
import { createMetrics } from '../observability/metrics.ts';
import { loopHealth } from '../observability/loop-health.ts';
import { buildCore, type Core } from './core.ts';
import { startRetention } from './retention.ts';

/** A running Sparringsbot: where it listens, which channels are on, and how to stop it. */
export interface RunningServer {
  /** With a trailing slash, e.g. `http://127.0.0.1:3978/`. */
  url: string;
  channels: string[];
  /** Stops in order: no new requests, no new ticks, sends in flight finished, receivers, then the store. */
  stop(): Promise<void>;
}

/** What the environment does not say: for tests, where the Bot Connector's signing keys are published. */
export interface ServerOptions {
  /** The OpenID metadata of the keys Teams' tokens are signed with; default the public cloud's. */
  teamsOpenIdMetadataUrl?: string;
  /** The port main.ts bound before loading this code (src/http/starting.ts): served here once the app is built, not bound again. */
  listening?: StartingServer;
}

/**
 * The receivers the configuration turns on. Each platform's code is loaded only when it is on: Teams'
 * botbuilder and Slack's Bolt are thousands of modules, the better part of a second before the first answer.
 */
async function receiversFor(core: Core, loopback: boolean, options: ServerOptions): Promise<{ receivers: Receiver[]; playgroundOutbox?: OutboxRecords }> {
  const { config } = core;
  const receivers: Receiver[] = [];
  if (platformChannels(config).includes('teams')) {
    const auth = {
      appId: config.MICROSOFT_APP_ID ?? '',
      appType: config.MICROSOFT_APP_TYPE,
      ...(config.MICROSOFT_APP_PASSWORD ? { appPassword: config.MICROSOFT_APP_PASSWORD } : {}),
      ...(config.MICROSOFT_APP_TENANT_ID ? { appTenantId: config.MICROSOFT_APP_TENANT_ID } : {}),
      ...(options.teamsOpenIdMetadataUrl ? { openIdMetadataUrl: options.teamsOpenIdMetadataUrl } : {}),
    };
    const { teamsReceiver } = await import('../channels/teams/receiver.ts');
    receivers.push(teamsReceiver(auth, { app: { ...core, canMail: Boolean(core.mailer) }, seen: core.seen, logger: core.logger }));
  }
  if (platformChannels(config).includes('slack') && config.SLACK_SIGNING_SECRET) {
    const oauth =
      config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET && config.SLACK_STATE_SECRET
        ? { clientId: config.SLACK_CLIENT_ID, clientSecret: config.SLACK_CLIENT_SECRET, stateSecret: config.SLACK_STATE_SECRET }
        : undefined;
    const slack = {
      signingSecret: config.SLACK_SIGNING_SECRET,
      ...(config.SLACK_BOT_TOKEN ? { botToken: config.SLACK_BOT_TOKEN } : {}),
      ...(oauth ? { oauth } : {}),
      ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    };
    const { slackReceiver } = await import('../channels/slack/receiver.ts');
    receivers.push(slackReceiver(slack, { app: { ...core, canMail: Boolean(core.mailer) }, commands: core.commands, logger: core.logger }));
  }
  if (!playgroundOn(config)) return { receivers };
  const { playgroundReceiver } = await import('./playground.ts');
  const playground = await playgroundReceiver(core, { loopback });
  return { receivers: [...receivers, playground], playgroundOutbox: playground.outbox };
}

/**
 * Builds the core once, starts the scheduler and delivery on the real clock for every team but the
 * playground's, mounts every receiver on the one HTTP server and listens (or serves the port main.ts bound first).
 */
export async function startServer(config: Config, logger: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  checkSomethingServed(config);
  const core = await buildCore(config, logger);
  // Stopped in this order: the server takes no new requests, the scheduler no new tick, delivery
  // finishes the sends in flight, then the receivers' own loops and the retention sweep.
  const loops: Array<{ stop(): Promise<void> }> = [];
  const later: Array<{ stop(): Promise<void> }> = [];
  let listening: Awaited<ReturnType<typeof listen>> | undefined = options.listening;
  const stopAll = async () => {
    for (const part of [...(listening ? [{ stop: () => listening!.close() }] : []), ...loops, ...later]) {
      await part.stop().catch((error: unknown) => logger.error({ err: error }, 'stopping a part failed'));
    }
    await core.close();
  };
  try {
    const { receivers, playgroundOutbox } = await receiversFor(core, isLoopback(config.HOST), options);
    later.push(...receivers);
    if (config.TEAMS_AUTH_DISABLED) logger.warn({}, 'TEAMS_AUTH_DISABLED=true: Teams runs with no authentication; for local testing only');
    // Not awaited: start-up does not wait on the check, and a Redis that is down is /readyz's to report.
    // Every master of a cluster, each once.
    if (core.redis) void warnUnlessPersistent(core.redis, logger);

    const channels: Partial<Record<Platform, Channel>> = Object.fromEntries(receivers.flatMap((r) => (r.channel ? [[r.channel.platform, r.channel]] : [])));
    const deps = { ...core, canMail: Boolean(core.mailer) };
    const background = config.PROCESS_ROLE !== 'web';
    const metrics = createMetrics({ outbox: core.outbox });
    const health = loopHealth(metrics, core.clock);
    // With only the playground on there is nothing to serve on the real clock: real teams' cards would have no way out.
    if (background && Object.keys(channels).length > 0) {
      if (!core.redis) logger.warn({}, 'platform channels on the embedded store: its outbox is in memory, so a card not yet sent at shutdown is lost; set REDIS_URL in production');
      loops.push(startScheduler({ ...deps, scope: (run) => !isDemoTeam(run), observer: health.scheduler() }));
      loops.push(
        startDelivery(
          { ...deps, channels, ...(core.mailer ? { mailer: core.mailer } : {}), observer: health.delivery() },
          { ...DEFAULT_DELIVERY, leaseMs: config.DELIVERY_LEASE_MS, concurrency: config.DELIVERY_CONCURRENCY },
        ),
      );
      if (channels.slack) loops.push(core.commands.serve((await import('../channels/slack/answer-command.ts')).answerSlackCommand(deps, logger), logger));
    }
    if (background) later.push({ stop: startRetention(core, playgroundOutbox) });

    // A worker answers /healthz only: Slack and Teams reach the web processes.
    const served = config.PROCESS_ROLE === 'worker' ? [] : receivers;
    const app = createApp({
      programmes: core.programmes,
      receivers: served,
      routes: served.length > 0 ? [calendarRoute({ ...core, secret: anonymitySecret(config) })] : [],
      logger,
      metrics,
      readiness: () => ({ store: core.store.reachable(), ...health.checks() }),
    });
    const bound = options.listening ?? (listening = await listen(app, config.PORT, config.HOST));
    options.listening?.serve(app);
    for (const receiver of served) await receiver.listening?.(bound.url);
    let stopping: Promise<void> | undefined;
    return {
      url: `${bound.url}/`,
      channels: receivers.map((r) => r.name),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
