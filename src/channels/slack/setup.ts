// `/sparring setup` in a Slack channel: the channel's people join the team, and the set-up form opens as
// a modal; its submission starts the run or shows the form again with what to fix. Who may, what is valid
// and what is stored are the app's (src/app/setup).
import type { WebClient } from '@slack/web-api';
import type { AppDeps } from '../../app/context.ts';
import type { TeamRef } from '../../app/ports.ts';
import { rosterSeen } from '../../app/setup/members.ts';
import { type LocalisedReply, openSetup, submitSetup } from '../../app/setup/submit-setup.ts';
import { renderSlackCard } from '../../cards/render.ts';
import type { SlackModal } from '../../cards/slack/from-adaptive.ts';
import type { Locale } from '../../domain/programme/schema.ts';
import { readChannelRoster, type Workspace } from './roster.ts';
import type { ModalMetadata } from './translate.ts';

/** What the modal carries to its submission besides the card's data. */
export const SETUP_CARD = 'team-setup';

export const isSetupCommand = (text: string | undefined) => /^\s*setup\s*$/i.test(text ?? '');

/** The form as a Slack modal, carrying where it came from. */
function setupModal(reply: LocalisedReply, metadata: ModalMetadata): SlackModal | undefined {
  const rendered = renderSlackCard(reply.card, reply.data, { locale: reply.locale, ...(reply.timeZone ? { timeZone: reply.timeZone } : {}) });
  const modal = rendered.modals['start'];
  return modal ? { ...modal, private_metadata: JSON.stringify(metadata) } : undefined;
}

export interface SetupAsked {
  workspace: Workspace;
  team: TeamRef;
  userId: string;
  triggerId: string;
  botUserId?: string;
  locale: Locale;
}

/**
 * Reads the channel's people into the team and opens the form; returns a reply for the person instead
 * when they may not set the team up (or the form could not be made).
 */
export async function openSetupModal(deps: AppDeps, client: WebClient, asked: SetupAsked): Promise<LocalisedReply | undefined> {
  const roster = await readChannelRoster(deps, client, { workspace: asked.workspace, team: asked.team, ...(asked.botUserId ? { botUserId: asked.botUserId } : {}) });
  // The one who asks is in the channel, even if Slack's list was read a moment too early.
  if (!roster.some((m) => m.userId === asked.userId)) roster.push({ userId: asked.userId, roles: [] });
  await rosterSeen(deps, asked.team, roster, { complete: true });
  const reply = await openSetup(deps, { team: asked.team, userId: asked.userId, channelId: asked.team.team, locale: asked.locale });
  if (reply.card !== SETUP_CARD) return reply;
  const modal = setupModal(reply, { data: { card: SETUP_CARD }, tenant: asked.team.tenant, team: asked.team.team });
  if (!modal) return { card: 'error', data: { code: 'internal' }, locale: reply.locale };
  await client.views.open({ trigger_id: asked.triggerId, view: modal as never });
  return undefined;
}

/**
 * The form submitted: the run is set up (the channel gets "programme started" through the outbox) and the
 * modal closes, or the modal is answered with the form again naming the problems (Slack's `update`).
 */
export async function submitSetupModal(
  deps: AppDeps,
  submitted: { team: TeamRef; userId: string; inputs: Record<string, string>; metadata: ModalMetadata },
): Promise<{ response_action: 'update'; view: SlackModal } | undefined> {
  const members = await deps.store.members(submitted.team);
  const { ok, reply } = await submitSetup(deps, {
    team: submitted.team,
    by: { userId: submitted.userId, teamOwner: false },
    inputs: submitted.inputs,
    members,
    channelId: submitted.team.team,
    locale: 'da',
    whoMay: 'leader',
  });
  if (ok) return undefined;
  const modal = setupModal(reply, submitted.metadata);
  return modal ? { response_action: 'update', view: modal } : undefined;
}
