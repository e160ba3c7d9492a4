import type { CardName, ErrorCode } from '../cards/view-models.ts';
import { activitiesById } from '../domain/programme/activities.ts';
import type { Activity, Programme, Role } from '../domain/programme/schema.ts';
import type { Respondent } from '../domain/replies/reply.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';
import type { Clock, Logger, Outbox, Random, Run, Store, TeamRef } from './ports.ts';
import { planOf } from './run-plan.ts';

/** What every use case needs: the same store, outbox and clock the scheduler and delivery use. */
export interface AppDeps {
  store: Store;
  outbox: Outbox;
  programmes: ReadonlyMap<string, Programme>;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Whether a mail can leave this deployment (SMTP, or the playground's tray); without, a form that mails says so first. */
  canMail: boolean;
}

/** Who wrote, in which team: what every platform's receiver knows about a message or a click. */
export interface Actor {
  team: TeamRef;
  user: Respondent;
}

/** A card to show the person: the reply to a command, or the card that replaces the one they clicked. */
export interface AppReply {
  card: CardName;
  data: unknown;
}

/** The team's run with its programme, plan and the person's roles; undefined when the team has none. */
export interface TeamRun {
  run: Run;
  programme: Programme;
  plan: Plan;
  activities: Map<string, Activity>;
  roles: Role[];
}

export async function teamRun(deps: Pick<AppDeps, 'store' | 'programmes'>, actor: Actor): Promise<TeamRun | undefined> {
  const run = await deps.store.getRun(actor.team);
  const programme = run && deps.programmes.get(run.programmeId);
  if (!run || !programme) return undefined;
  const plan = planOf(run, programme);
  const roles = run.members.find((m) => m.userId === actor.user.userId)?.roles ?? [];
  return { run, programme, plan, activities: activitiesById(programme), roles };
}

export function occurrenceById(team: TeamRun, id: string): Occurrence | undefined {
  return team.plan.occurrences.find((o) => o.id === id);
}

export const hasStarted = (now: Date) => (o: Occurrence) => Date.parse(o.start) <= now.getTime();

/** Closed for answers: an occurrence with an answer window (a questionnaire, a reflection) from its end on; others never close. */
export const isClosed = (activity: Pick<Activity, 'windowDays'>, occurrence: Occurrence, now: Date) => Boolean(activity.windowDays) && now.getTime() >= Date.parse(occurrence.end);

/** The error card: what went wrong, what could have been written instead. Nothing was changed. */
/** An error card: what went wrong, what the person could write instead, and, for a refusal by role, who may. */
export function errorReply(code: ErrorCode, choices: string[] = [], who: readonly Role[] = []): AppReply {
  return { card: 'error', data: { code, choices, ...(who.length > 0 ? { who: [...who] } : {}) } };
}

/** The card that confirms a post to the team channel. */
export function postedReply(deps: Pick<AppDeps, 'clock'>, team: TeamRun, activity: Activity, occurrenceId: string): AppReply {
  const ref = { programmeId: team.programme.id, activityId: activity.id, occurrenceId };
  return { card: 'answered', data: { ref, title: activity.title[team.run.locale], answeredAt: deps.clock.now().toISOString(), outcome: 'posted' } };
}

export const logContext = (actor: Actor) => ({ tenant: actor.team.tenant, team: actor.team.team, userId: actor.user.userId });

/**
 * Runs a click's or a command's work; if it fails (Redis gone longer than the command timeout, a bug), the
 * person is told it may not have been saved and to try again, never a false "thank you". Repeating is safe:
 * every write is idempotent. The log line names the team and what was asked, never the person or the answer.
 */
export async function answerOrTryAgain(logger: Logger, about: Record<string, unknown>, work: () => Promise<AppReply>): Promise<AppReply> {
  try {
    return await work();
  } catch (error) {
    logger.error({ ...about, reason: error instanceof Error ? error.message : String(error) }, 'request failed: asked to try again');
    return errorReply('tryAgain');
  }
}
