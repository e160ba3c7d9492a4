import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Run } from '../../app/ports.ts';
import { renderAdaptiveCard } from '../../cards/render.ts';
import { catalogue } from '../../cards/strings.ts';
import { isCardName } from '../../cards/view-models.ts';
import { handleCardAction } from '../../chat/card-actions.ts';
import { runCommand } from '../../chat/commands.ts';
import { teamRun, type ChatDeps, type ChatReply } from '../../chat/context.ts';
import { LOCALES, type Locale } from '../../domain/programme/schema.ts';
import { CHANNEL_KEY, DEMO_TEAM } from './demo.ts';
import type { LocalChannel, LocalMailer, SettableClock } from './local-channel.ts';

/**
 * The playground's JSON API (the page in page.ts is its only client): who is who, their chat,
 * the team channel and the mails; the `/sparring` box; card clicks; the demo clock. Commands and
 * clicks go through the same chat code as Teams and Slack.
 */

export interface PlaygroundDeps extends ChatDeps {
  clock: SettableClock;
  channel: LocalChannel;
  mailer: LocalMailer;
  /** Runs the scheduler once and delivers what is due: after the clock moves or a command posts. */
  catchUp(): Promise<void>;
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
  router.use(express.json({ limit: '100kb' }));

  const run = async (): Promise<Run> => (await deps.store.getRun(DEMO_TEAM))!;
  const member = async (userId: string) => (await run()).members.find((m) => m.userId === userId);
  const who = (userId: string) => ({ team: DEMO_TEAM, user: { userId, platform: 'local' as const, platformUserId: userId } });
  const render = async (reply: ChatReply) => {
    const { locale, timeZone } = await run();
    if (!isCardName(reply.card)) throw new Error(`no card ${reply.card}`);
    return renderAdaptiveCard(reply.card, reply.data, { locale, timeZone });
  };

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
      chat: await deps.channel.messages(userId),
      channel: await deps.channel.messages(CHANNEL_KEY),
      mails: await deps.mailer.mails(),
    };
  }

  /** Parses the body (or query) and checks the person exists; answers 400 in the run's language otherwise. */
  async function parse<T extends { as: string }>(schema: z.ZodType<T>, input: unknown, res: Response): Promise<T | undefined> {
    const parsed = schema.safeParse(input);
    const strings = catalogue((await run()).locale);
    const error = String((strings['error'] as Record<string, Record<string, string>>)['codes']?.['badPayload']);
    if (!parsed.success || !(await member(parsed.data.as))) {
      deps.logger.warn({ problems: parsed.success ? ['unknown person'] : parsed.error.issues.map((i) => i.path.join('.')) }, 'playground request refused');
      res.status(400).json({ error: { message: error } });
      return undefined;
    }
    return parsed.data;
  }

  router.get('/state', async (req: Request, res: Response) => {
    // Opening the page with nobody chosen shows the leader's view: the one with the most to do.
    const leader = (await run()).members.find((m) => m.roles.includes('leader'))?.userId ?? (await run()).members[0]!.userId;
    const query = await parse(z.looseObject({ as: as.default(leader) }), req.query, res);
    if (query) res.json(await state(query.as));
  });

  router.post('/command', async (req, res) => {
    const body = await parse(bodies.command, req.body, res);
    if (!body) return;
    const reply = await runCommand(deps, who(body.as), body.text);
    await deps.catchUp();
    res.json({ reply: { card: await render(reply) }, state: await state(body.as) });
  });

  router.post('/action', async (req, res) => {
    const body = await parse(bodies.action, req.body, res);
    if (!body) return;
    const reply = await handleCardAction(deps, who(body.as), { verb: body.verb, data: body.data, inputs: body.inputs });
    const card = await render(reply);
    // As Teams does with an Action.Execute response: the clicked card is replaced where it is.
    for (const key of [body.as, CHANNEL_KEY]) {
      if (await deps.channel.find(key, body.messageId)) await deps.channel.update({ platform: 'local', key, reference: {} }, body.messageId, { card, text: String(card['fallbackText'] ?? '') });
    }
    await deps.catchUp();
    res.json({ card, state: await state(body.as) });
  });

  router.post('/clock', async (req, res) => {
    const body = await parse(bodies.clock, req.body, res);
    if (!body) return;
    const now = deps.clock.now().getTime();
    if (body.step === 'day') deps.clock.advanceTo(new Date(now + DAY_MS));
    if (body.step === 'week') deps.clock.advanceTo(new Date(now + 7 * DAY_MS));
    if (body.step === 'next') {
      const team = await teamRun(deps, who(body.as));
      const next = team?.plan.occurrences.find((o) => Date.parse(o.start) > now);
      if (next) deps.clock.advanceTo(new Date(next.start));
    }
    await deps.catchUp();
    res.json({ state: await state(body.as) });
  });

  router.post('/locale', async (req, res) => {
    const body = await parse(bodies.locale, req.body, res);
    if (!body) return;
    await deps.store.saveRun({ ...(await run()), locale: body.locale });
    res.json({ state: await state(body.as) });
  });

  return router;
}
