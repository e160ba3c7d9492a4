import type { Locale } from '../domain/programme/schema.ts';
import type { Platform } from '../domain/replies/reply.ts';
import { type CardSubmit, handleCardAction } from './actions/handle-card-action.ts';
import { runCommand } from './commands/run-command.ts';
import { type AppDeps, type AppReply, errorReply } from './context.ts';
import type { TeamRef } from './ports.ts';

/**
 * The one path from a platform's event to the app, shared by every receiver: find the team and the
 * member from the platform's ids, run the command or the click, and hand back the card with the
 * language and zone to present it in. A receiver translates its platform's payload into an
 * InboundEvent and the reply into its platform's answer, and does nothing else.
 */

export type InboundInput = { kind: 'command'; text: string } | ({ kind: 'action' } & CardSubmit);

export interface InboundEvent {
  platform: Platform;
  /** The team as the platform names it: the Teams tenant and team, the Slack workspace and channel, the playground's demo team. */
  team: TeamRef;
  /** The person's id on the platform. */
  platformUserId: string;
  input: InboundInput;
}

export interface InboundReply extends AppReply {
  /** The team's language and zone (Danish and Copenhagen for someone in no team). */
  locale: Locale;
  timeZone: string;
}

const DEFAULT_PRESENTATION = { locale: 'da', timeZone: 'Europe/Copenhagen' } as const;

export async function handleInbound(deps: AppDeps, event: InboundEvent): Promise<InboundReply> {
  const run = await deps.store.getRun(event.team);
  const presentation = run ? { locale: run.locale, timeZone: run.timeZone } : DEFAULT_PRESENTATION;
  const member = run?.members.find((m) => m.userId === event.platformUserId);
  if (!run || !member) {
    deps.logger.warn({ platform: event.platform, tenant: event.team.tenant, team: event.team.team, reason: run ? 'not a member' : 'no run' }, 'inbound event from someone outside any run');
    return { ...errorReply('notMember'), ...presentation };
  }
  const actor = { team: run.team, user: { userId: member.userId, platform: event.platform, platformUserId: event.platformUserId } };
  const reply = event.input.kind === 'command' ? await runCommand(deps, actor, event.input.text) : await handleCardAction(deps, actor, event.input);
  return { ...reply, ...presentation };
}
