import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Logger, Store } from '../../app/ports.ts';
import { deliverDue, DEFAULT_DELIVERY } from '../../delivery/deliver.ts';
import type { Programme } from '../../domain/programme/schema.ts';
import { createApp } from '../../http/server.ts';
import { tick } from '../../scheduler/tick.ts';
import { loadProgrammes } from '../../programmes/load.ts';
import { EmbeddedStore } from '../../store/embedded/embedded-store.ts';
import { openDelivery, systemRandom } from '../../store/open.ts';
import { CHANNEL_KEY, DEMO_TEAM, seedDemo, thisMonday } from './demo.ts';
import { LocalChannel, LocalMailer, SettableClock } from './local-channel.ts';
import { playgroundHtml } from './page.ts';
import { playgroundRouter } from './playground.ts';

export interface PlaygroundOptions {
  port: number;
  host?: string;
  /** Default: the built-in programmes. */
  programmes?: Map<string, Programme>;
  /** Default: the embedded store in `dataFile`, or in memory only when there is none. */
  store?: Store;
  dataFile?: string;
  /** The programme the demo team runs; default the Odense programme. */
  programmeId?: string;
  /** The run's first day (YYYY-MM-DD); this week's Monday when not given. */
  demoStart?: string;
  redisUrl?: string;
  logger?: Logger;
}

export const DEFAULT_DEMO_PROGRAMME = 'odense-science-boernehoejde';
const silent: Logger = { info() {}, warn() {}, error() {} };

const ADAPTIVE_CARDS_JS = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');

/**
 * The no-account way to run Sparringsbot: the demo team on the local channel, the real scheduler
 * and delivery on a demo clock the page can move, and the page at `/`.
 */
export async function startPlayground(given: PlaygroundOptions) {
  const options = {
    ...given,
    programmes: given.programmes ?? loadProgrammes(),
    store: given.store ?? new EmbeddedStore(given.dataFile, systemRandom),
    programmeId: given.programmeId ?? DEFAULT_DEMO_PROGRAMME,
    logger: given.logger ?? silent,
  };
  const programme = options.programmes.get(options.programmeId);
  if (!programme) throw new Error(`no programme ${options.programmeId}; the built-in ones are ${[...options.programmes.keys()].join(', ')}`);
  const { run, clockStart } = await seedDemo(options.store, programme, options.demoStart ?? thisMonday(new Date()));
  // After a restart the demo goes on where it was: at the last message posted, if that is later.
  const posted = await Promise.all([...run.members.map((m) => m.userId), CHANNEL_KEY].map((key) => options.store.localMessages(DEMO_TEAM, key)));
  const last = posted.flat().reduce((latest, m) => (m.at > latest ? m.at : latest), clockStart.toISOString());
  const clock = new SettableClock(new Date(last));
  const channel = new LocalChannel(clock, options.store, DEMO_TEAM);
  const mailer = new LocalMailer(clock, options.store, DEMO_TEAM);
  const delivery = openDelivery({ REDIS_URL: options.redisUrl }, options.store);
  const base = { store: options.store, programmes: options.programmes, clock, random: systemRandom, logger: options.logger, mailer };
  const schedulerDeps = { ...base, ...delivery, owner: 'playground' };
  const deliveryDeps = { ...base, ...delivery, channels: { local: channel } };

  // One catch-up at a time: the page's clock button and the minute timer must not fan out twice at once.
  let running: Promise<void> = Promise.resolve();
  const catchUp = () => {
    running = running.then(async () => {
      await tick(schedulerDeps);
      await deliverDue(deliveryDeps, DEFAULT_DELIVERY);
    });
    return running;
  };
  await catchUp();
  const minute = setInterval(() => void catchUp().catch((error: unknown) => options.logger.error({ err: error }, 'playground catch-up failed')), 60_000);
  minute.unref();

  const app = createApp({ programmes: options.programmes });
  app.use('/playground/api', playgroundRouter({ ...base, clock, outbox: delivery.outbox, channel, mailer, catchUp }));
  app.get('/playground/adaptivecards.js', (_req, res) => res.sendFile(ADAPTIVE_CARDS_JS));
  app.get('/', (_req, res) => res.type('html').send(playgroundHtml()));

  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const s = app.listen(options.port, options.host ?? '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    async close() {
      clearInterval(minute);
      await running.catch(() => {});
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await delivery.close();
      if (!given.store) await options.store.close();
    },
  };
}
