import type { Locale } from '../domain/programme/schema.ts';
import type { Platform } from '../domain/replies/reply.ts';
import { type CardSubmit, handleCardAction } from './actions/handle-card-action.ts';
import { runCommand } from './commands/run-command.ts';
import { type AppDeps, type AppReply, errorReply } from './context.ts';
import type { Run, TeamRef } from './ports.ts';

/**
 * The one path from a platform's event to the app, shared by every receiver: find the team and the
 * member from the platform's ids, run the command or the click, and hand back the card with the
 * language and zone to present it in. A receiver translates its platform's payload into an
 * InboundEvent and the reply into its platform's answer, and does nothing else.
 */

export type InboundInput = { kind: 'command'; text: string } | ({ kind: 'action' } & CardSubmit);

/** Only the tenant: where the platform names no team (a Teams personal or group chat). */
export interface TenantOnly {
  tenant: string;
  team?: undefined;
}

export interface InboundEvent {
  platform: Platform;
  /**
   * The team as the platform names it: the Teams tenant and team, the Slack workspace and channel, the
   * playground's demo team. In a chat outside any team only the tenant: the app takes the run of that
   * tenant that has this person as a member.
   */
  team: TeamRef | TenantOnly;
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
  let run: Run | undefined;
  try {
    run = await runOf(deps, event);
  } catch (error) {
    // The store is away (Redis down longer than its command timeout): "try again", never silence or a false "thank you".
    deps.logger.error(
      { platform: event.platform, tenant: event.team.tenant, team: event.team.team, reason: error instanceof Error ? error.message : String(error) },
      'request failed: asked to try again',
    );
    return { ...errorReply('tryAgain'), ...DEFAULT_PRESENTATION };
  }
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

/** The event's run: the named team's, or, given only the tenant, the one that has this person as a member. */
function runOf(deps: Pick<AppDeps, 'store' | 'logger'>, event: InboundEvent): Promise<Run | undefined> {
  const programmeId = event.input.kind === 'action' ? programmeOf(event.input.data) : undefined;
  return findRun(deps, event.team, event.platformUserId, programmeId, event.platform);
}

/**
 * A team's run, or, given only the tenant (a chat outside any team), the run of the tenant's teams that
 * has the person as a member: of several, the one of `programmeId` (the clicked card's), then an active
 * one, then the first team stored.
 */
export async function findRun(deps: Pick<AppDeps, 'store' | 'logger'>, team: TeamRef | TenantOnly, userId: string, programmeId?: string, platform?: Platform): Promise<Run | undefined> {
  if (team.team !== undefined) return deps.store.getRun({ tenant: team.tenant, team: team.team });
  const teams = (await deps.store.listTeams()).filter((t) => t.tenant === team.tenant);
  const runs = (await Promise.all(teams.map((t) => deps.store.getRun(t)))).filter((run): run is Run => run?.members.some((m) => m.userId === userId) ?? false);
  if (runs.length <= 1) return runs[0];
  const rank = (run: Run) => (run.programmeId === programmeId ? 2 : 0) + (run.active ? 1 : 0);
  const [chosen] = runs.sort((a, b) => rank(b) - rank(a));
  deps.logger.info({ platform, tenant: team.tenant, team: chosen!.team.team, runs: runs.length }, 'person in several teams of the tenant: one chosen');
  return chosen;
}

function programmeOf(data: unknown): string | undefined {
  const ref = typeof data === 'object' && data !== null ? (data as { ref?: { programmeId?: unknown } }).ref : undefined;
  return typeof ref?.programmeId === 'string' ? ref.programmeId : undefined;
}
