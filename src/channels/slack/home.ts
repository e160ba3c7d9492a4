// Slack's App Home: the person's own page in the app (its Home tab), published with views.publish when
// they open it and again after they answer from it. Its blocks are the `home` card's Slack rendering, so
// it reads like the cards in Teams and the playground; its buttons are the prompts' own (`open:<verb>`),
// which the receiver's button path handles as it does in a direct message.
import type { SlackEvents } from './events.ts';
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../app/context.ts';
import { HOME_LIMITS, type HomeView, homeFor, NOT_IN_PROGRAMME } from '../../app/home.ts';
import type { Logger } from '../../app/ports.ts';
import { renderSlackCard } from '../../cards/render.ts';
import type { SlackBlock } from '../../cards/slack/from-adaptive.ts';

export interface AppHomeDeps {
  app: AppDeps;
  logger: Logger;
}

/** Slack's limit for a home view (views.publish): 100 blocks. */
export const HOME_VIEW_BLOCKS = 100;

type HomeData = HomeView['data'];

/** The home with one thing less: its oldest answer listed, else its last open prompt (counted as one more waiting). */
function shorter(data: HomeData): HomeData | undefined {
  const answers = data.answers ?? [];
  const open = data.open ?? [];
  if (answers.length > 0) return { ...data, answers: answers.slice(0, -1) };
  if (open.length > 1) return { ...data, open: open.slice(0, -1), moreOpen: (data.moreOpen ?? 0) + 1 };
  return undefined;
}

const cut = (blocks: SlackBlock[]) => blocks.some((b) => b.type === 'actions' && (b['elements'] as Array<{ action_id?: string }>).some((e) => e.action_id === 'showRest'));

/**
 * The home view for views.publish: the home card as blocks. A card too long for one message is cut by the
 * renderer with a "show the rest" button, which means nothing in a home: the home lists less instead (its
 * oldest answers, then its last open prompts) until it fits, and never holds more than a home view may.
 */
export function homeView(home: HomeView): { type: 'home'; blocks: SlackBlock[] } {
  const limit = (data: HomeData): HomeData => ({
    ...data,
    ...(data.open ? { open: data.open.slice(0, HOME_LIMITS.open), moreOpen: (data.moreOpen ?? 0) + Math.max(0, data.open.length - HOME_LIMITS.open) } : {}),
    ...(data.next ? { next: data.next.slice(0, HOME_LIMITS.next) } : {}),
    ...(data.answers ? { answers: data.answers.slice(0, HOME_LIMITS.answers) } : {}),
  });
  let data: HomeData | undefined = limit(home.data);
  let blocks: SlackBlock[] = [];
  while (data) {
    blocks = renderSlackCard('home', data, { locale: home.locale, timeZone: home.timeZone }).blocks;
    if (!cut(blocks)) break;
    data = shorter(data);
  }
  return { type: 'home', blocks: blocks.slice(0, HOME_VIEW_BLOCKS) };
}

/** Publishes the person's home: their run's prompts, dates and answers, or that they are in no programme yet. */
export async function publishHome(client: WebClient, deps: AppHomeDeps, tenant: string, userId: string): Promise<void> {
  const home = (await homeFor(deps.app, tenant, userId, 'slack')) ?? NOT_IN_PROGRAMME;
  try {
    await client.views.publish({ user_id: userId, view: homeView(home) as never });
  } catch (error) {
    const e = error as { code?: string; data?: { error?: string } };
    deps.logger.warn({ platform: 'slack', tenant, code: e.code, error: e.data?.error }, 'Slack home not published');
  }
}

/** Opening the Home tab publishes it afresh, with the handler's own client (the workspace's token). */
export function registerAppHome(events: SlackEvents, deps: AppHomeDeps): void {
  events.on('app_home_opened', async ({ event, body, context, client }) => {
    if (event.tab !== 'home') return;
    const tenant = context.teamId ?? (body as { team_id?: string }).team_id ?? '';
    await publishHome(client, deps, tenant, event.user);
  });
}
