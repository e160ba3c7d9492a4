import { createRequire } from 'node:module';
import type { AppDeps } from '../app/context.ts';
import type { PlaygroundStore } from '../app/store-ports.ts';
import { CHANNEL_KEY, DEMO_TEAM, seedDemo, thisMonday } from '../channels/local/demo.ts';
import { LocalChannel, LocalMailer, SettableClock } from '../channels/local/local-channel.ts';
import { playgroundHtml } from '../channels/local/page.ts';
import { playgroundRouter } from '../channels/local/playground.ts';
import type { Receiver } from '../channels/receiver.ts';
import { anonymitySecret, ConfigError } from '../config.ts';
import { deliverDue, DEFAULT_DELIVERY } from '../delivery/deliver.ts';
import { PLATFORM_LIMITS } from '../delivery/limits.ts';
import { tick } from '../scheduler/tick.ts';
import { MemoryOutbox, MemoryRateLimiter } from '../store/embedded/memory-delivery.ts';
import type { Core } from './core.ts';
import { jsonBody } from '../http/errors.ts';
import { announceRun } from '../app/setup/set-up-run.ts';

const ADAPTIVE_CARDS_JS = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');
const MINUTE_MS = 60_000;

/**
 * The playground as a receiver: the demo team (a leader, four staff, a consultant and a guide) on
 * the local channel, with a demo clock the page moves. The demo lives apart from real teams: its
 * own scheduler pass over the demo team only, its own outbox and limits in memory, its clock
 * touching nothing else. Its claims are the store's, so a restart posts nothing twice.
 */
export async function playgroundReceiver(core: Core, options: { loopback: boolean }): Promise<Receiver & { outbox: MemoryOutbox }> {
  const { config, programmes, logger } = core;
  const programme = programmes.get(config.DEMO_PROGRAMME);
  if (!programme) throw new ConfigError(`invalid configuration (see .env.example): DEMO_PROGRAMME: no programme "${config.DEMO_PROGRAMME}"; choose one of ${[...programmes.keys()].join(', ')}`);
  const store: PlaygroundStore = core.store;
  const { run, clockStart, created } = await seedDemo(store, programme, config.DEMO_START ?? thisMonday(new Date()));
  // After a restart the demo goes on where it was: at the last message posted, if that is later.
  const posted = await Promise.all([...run.members.map((m) => m.userId), CHANNEL_KEY].map((key) => store.localMessages(DEMO_TEAM, key)));
  // biome-ignore lint/complexity/useMathMinMax: ISO date strings, compared as text; Math.max would give NaN.
  const last = posted.flat().reduce((latest, m) => (m.at > latest ? m.at : latest), clockStart.toISOString());
  const clock = new SettableClock(new Date(last));
  const channel = new LocalChannel(clock, store, DEMO_TEAM);
  const mailer = new LocalMailer(clock, store, DEMO_TEAM);
  const outbox = new MemoryOutbox();
  const app: AppDeps & { store: PlaygroundStore } = { store, outbox, programmes, clock, random: core.random, logger, canMail: true };
  // The demo's notices link to its own server's .ics route (the page and the server are one origin), known once it listens.
  let ownUrl: string | undefined;
  const secret = anonymitySecret(config);
  const scheduler = {
    ...app,
    claims: core.claims,
    owner: core.owner,
    teams: [DEMO_TEAM],
    get calendarLinks() {
      return ownUrl ? { baseUrl: ownUrl, secret } : undefined;
    },
  };
  // A new demo begins as a team that has just set up: the channel is told, and everyone is welcomed.
  if (created) await announceRun(app, run, programme);
  const delivery = { ...app, limiter: new MemoryRateLimiter(PLATFORM_LIMITS), channels: { local: channel }, mailer };

  // One catch-up at a time: the page's clock button and the minute timer must not fan out twice at once.
  let running: Promise<void> = Promise.resolve();
  const catchUp = () => {
    running = running.then(async () => {
      await tick(scheduler);
      await deliverDue(delivery, DEFAULT_DELIVERY);
    });
    return running;
  };
  const minute = setInterval(() => void catchUp().catch((error: unknown) => logger.error({ err: error }, 'playground catch-up failed')), MINUTE_MS);
  minute.unref();

  return {
    name: 'playground',
    // Its own outbox, swept by retention beside the replicas' one.
    outbox,
    mount(server) {
      server.use('/playground/api', jsonBody('100kb', logger), playgroundRouter({ app, clock, channel, mailer, catchUp, loopback: options.loopback }));
      server.get('/playground/adaptivecards.js', (_req, res) => res.sendFile(ADAPTIVE_CARDS_JS));
      server.get('/', (_req, res) => res.type('html').send(playgroundHtml()));
    },
    // The first catch-up once the server's address is known, so the first notices carry their links.
    async listening(url) {
      ownUrl = url;
      await catchUp();
    },
    async stop() {
      clearInterval(minute);
      await running.catch(() => {});
    },
  };
}
