import type { Clock, Logger, Mailer, Outbox, Random, Run, Store, TeamRef } from '../app/ports.ts';
import { planOf } from '../app/run-plan.ts';
import type { Activity, Programme, Role } from '../domain/programme/schema.ts';
import type { Respondent } from '../domain/replies/reply.ts';
import type { Occurrence, Plan } from '../domain/timeline/types.ts';
import { activitiesById } from '../plan/localize.ts';

/** What chat handling needs: the same store, outbox and clock the scheduler and delivery use. */
export interface ChatDeps {
  store: Store;
  outbox: Outbox;
  programmes: Map<string, Programme>;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Sends the pre-visit mail; a team without one gets the form's answers in chat only. */
  mailer?: Mailer;
}

/** Who wrote, in which team: what every platform's handler knows about a message or a click. */
export interface ChatUser {
  team: TeamRef;
  user: Respondent;
}

/** A card to show the person: the reply to a command, or the card that replaces the one they clicked. */
export interface ChatReply {
  card: string;
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

export async function teamRun(deps: ChatDeps, who: ChatUser): Promise<TeamRun | undefined> {
  const run = await deps.store.getRun(who.team);
  const programme = run && deps.programmes.get(run.programmeId);
  if (!run || !programme) return undefined;
  const plan = planOf(run, programme);
  const roles = run.members.find((m) => m.userId === who.user.userId)?.roles ?? [];
  return { run, programme, plan, activities: activitiesById(programme), roles };
}

export function occurrenceById(team: TeamRun, id: string): Occurrence | undefined {
  return team.plan.occurrences.find((o) => o.id === id);
}

/** The error card: what went wrong, what could have been written instead. Nothing was changed. */
export function errorReply(code: string, choices: string[] = []): ChatReply {
  return { card: 'error', data: { code, choices } };
}
