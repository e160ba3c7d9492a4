import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app/context.ts';
import { handleInbound, type InboundInput, type InboundReply } from '../../app/inbound.ts';
import type { Run } from '../../app/ports.ts';
import type { PlaygroundStore } from '../../app/store-ports.ts';
import { renderAdaptiveCard } from '../../cards/render.ts';
import { catalogue } from '../../cards/strings.ts';
import { LOCALES, type Locale } from '../../domain/programme/schema.ts';
import { CHANNEL_KEY, DEMO_TEAM } from './demo.ts';
import type { LocalChannel, LocalMailer, SettableClock } from './local-channel.ts';

/**
 * The playground's JSON API (the page in page.ts is its only client): who is who, their chat,
 * the team channel and the mails; the `/sparring` box; card clicks; the demo clock. It is a
 * receiver like Teams' and Slack's: commands and clicks go through the app's one inbound path. It
 * reads and writes only the demo team, and only on a loopback address may the page switch person
 * or move the clock: anyone who can reach the server could otherwise act as the demo's leader.
 */

export interface PlaygroundDeps {
  /** The use cases' dependencies, on the demo clock and the demo's own outbox. */
  app: AppDeps & { store: PlaygroundStore };
  clock: SettableClock;
  channel: LocalChannel;
  mailer: LocalMailer;
  /** Runs the scheduler once for the demo team and delivers what is due: after the clock moves or a command posts. */
  catchUp(): Promise<void>;
  /** Whether the server listens on a loopback address only. */
  loopback: boolean;
}

const as = z.string().min(1).max(100);
const bodies = {
  command: z.strictObject({ as, text: z.string().max(500) }),
  action: z.strictObject({ as, messageId: z.string().min(1), verb: z.string().min(1).max(100), data: z.unknown(), inputs: z.record(z.string(), z.unknown()).default({}) }),
  clock: z.strictObject({ as, step: z.enum(['day', 'week', 'next']) }),
  locale: z.strictObject({ as, locale: z.enum(LOCALES) }),
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The UI words of the page, flattened ("roles.staff"), in the run's language. */
function pageStrings(locale: Locale): Record<string, string> {
  const flat: Record<string, string> = {};
  const walk = (node: unknown, prefix: string) => {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (typeof value === 'string') flat[prefix + key] = value;
      else walk(value, `${prefix}${key}.`);
    }
  };
  walk(catalogue(locale)['playground'] ?? {}, '');
  return flat;
}

export function playgroundRouter(deps: PlaygroundDeps): Router {
  const router = express.Router();
  const { store, logger } = deps.app;

  const run = async (): Promise<Run> => {
    const found = await store.getRun(DEMO_TEAM);
    if (!found) throw new Error('the demo team has no run: the playground seeds it at start');
    return found;
  };
  const member = async (userId: string) => (await run()).members.find((m) => m.userId === userId);
  const inbound = (userId: string, input: InboundInput) => handleInbound(deps.app, { platform: 'local', team: DEMO_TEAM, platformUserId: userId, input });
  const render = (reply: InboundReply) => renderAdaptiveCard(reply.card, reply.data, { locale: reply.locale, timeZone: reply.timeZone });
  const errorText = async (code: string) => String((catalogue((await run()).locale)['error'] as Record<string, Record<string, string>>)['codes']?.[code]);

  async function state(userId: string) {
    const r = await run();
    const me = r.members.find((m) => m.userId === userId)!;
    return {
      now: deps.clock.now().toISOString(),
      timeZone: r.timeZone,
      locale: r.locale,
      strings: pageStrings(r.locale),
      team: { name: String(catalogue(r.locale)['playground']?.['title'] ?? DEMO_TEAM.team) },
      me: { userId, name: me.name ?? userId, roles: me.roles },
      members: r.members.map((m) => ({ userId: m.userId, name: m.name ?? m.userId, roles: m.roles })),
      // Whether the page may switch person and move the clock (only on a loopback address).
      local: deps.loopback,
      chat: await deps.channel.messages(userId),
      channel: await deps.channel.messages(CHANNEL_KEY),
      mails: await deps.mailer.mails(),
    };
  }

  /** Parses the body (or query) and checks the person exists; answers 400 in the run's language otherwise. */
  async function parse<T extends { as: string }>(schema: z.ZodType<T>, input: unknown, res: Response): Promise<T | undefined> {
    const parsed = schema.safeParse(input);
    if (!parsed.success || !(await member(parsed.data.as))) {
      logger.warn({ problems: parsed.success ? ['unknown person'] : parsed.error.issues.map((i) => i.path.join('.')) }, 'playground request refused');
      res.status(400).json({ error: { code: 'badPayload', message: await errorText('badPayload') } });
      return undefined;
    }
    return parsed.data;
  }

  const leaderId = async () => {
    const members = (await run()).members;
    return members.find((m) => m.roles.includes('leader'))?.userId ?? members[0]!.userId;
  };

  /** Off a loopback address the page is for looking only: as the leader, with no clock and no actions. */
  async function localOnly(req: Request, res: Response): Promise<boolean> {
    if (deps.loopback) return true;
    logger.warn({ path: req.path }, 'playground action refused: the server is not on a loopback address');
    res.status(403).json({ error: { code: 'localOnly', message: pageStrings((await run()).locale)['localOnly'] } });
    return false;
  }

  // The error card of a request that fails is in the demo team's language.
  router.use(async (_req, res, next) => {
    res.locals['locale'] = (await run()).locale;
    next();
  });

  router.get('/state', async (req, res) => {
    // Opening the page with nobody chosen shows the leader's view: the one with the most to do.
    const leader = await leaderId();
    if (req.query['as'] !== undefined && req.query['as'] !== leader && !(await localOnly(req, res))) return;
    const query = await parse(z.looseObject({ as: as.default(leader) }), req.query, res);
    if (query) res.json(await state(query.as));
  });

  router.post('/command', async (req, res) => {
    if (!(await localOnly(req, res))) return;
    const body = await parse(bodies.command, req.body, res);
    if (!body) return;
    const reply = await inbound(body.as, { kind: 'command', text: body.text });
    await deps.catchUp();
    res.json({ reply: { card: render(reply) }, state: await state(body.as) });
  });

  router.post('/action', async (req, res) => {
    if (!(await localOnly(req, res))) return;
    const body = await parse(bodies.action, req.body, res);
    if (!body) return;
    const card = render(await inbound(body.as, { kind: 'action', verb: body.verb, data: body.data, inputs: body.inputs }));
    // As Teams does with an Action.Execute response: the clicked card is replaced where it is.
    for (const key of [body.as, CHANNEL_KEY]) {
      if (await deps.channel.find(key, body.messageId)) await deps.channel.update({ platform: 'local', key, reference: {} }, body.messageId, { card, text: String(card['fallbackText'] ?? '') });
    }
    await deps.catchUp();
    res.json({ card, state: await state(body.as) });
  });

  router.post('/clock', async (req, res) => {
    if (!(await localOnly(req, res))) return;
    const body = await parse(bodies.clock, req.body, res);
    if (!body) return;
    const now = deps.clock.now().getTime();
    if (body.step === 'day') deps.clock.advanceTo(new Date(now + DAY_MS));
    if (body.step === 'week') deps.clock.advanceTo(new Date(now + 7 * DAY_MS));
    if (body.step === 'next') {
      const reply = await inbound(body.as, { kind: 'command', text: 'plan' });
      const entries = reply.card === 'plan' ? (reply.data as { entries: Array<{ at: string }> }).entries : [];
      const next = entries.find((e) => Date.parse(e.at) > now);
      if (next) deps.clock.advanceTo(new Date(next.at));
    }
    await deps.catchUp();
    res.json({ state: await state(body.as) });
  });

  router.post('/locale', async (req, res) => {
    if (!(await localOnly(req, res))) return;
    const body = await parse(bodies.locale, req.body, res);
    if (!body) return;
    await store.saveRun({ ...(await run()), locale: body.locale });
    res.json({ state: await state(body.as) });
  });

  return router;
}
