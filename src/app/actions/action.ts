import type { CardName } from '../../cards/view-models.ts';
import type { Activity } from '../../domain/programme/schema.ts';
import type { Occurrence } from '../../domain/timeline/types.ts';
import type { Actor, AppDeps, AppReply, TeamRun } from '../context.ts';
import type { Permission } from '../permissions.ts';

/** A click's target, as every card's action data carries it (cards/README.md). */
export interface CardRef {
  programmeId: string;
  activityId: string;
  occurrenceId: string;
}

/** What an action's handler gets: who clicked, on which occurrence of their team's run, with the card's inputs. */
export interface ActionContext {
  deps: AppDeps;
  actor: Actor;
  team: TeamRun;
  occurrence: Occurrence;
  activity: Activity;
  ref: CardRef;
  verb: string;
  inputs: Record<string, unknown>;
}

export interface ActionSpec {
  /** The card the button is on. */
  card: CardName;
  verbs: readonly string[];
  /** Who may click, from the same table as the commands (permissions.ts). */
  permission: Permission;
  run(context: ActionContext): Promise<AppReply>;
}

/** Input values with a prefix (`answer:`, `field:`, `section:`), keyed without it. */
export function prefixed(inputs: Record<string, unknown>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).flatMap(([key, value]) => (key.startsWith(prefix) && typeof value === 'string' ? [[key.slice(prefix.length), value]] : [])));
}

/** The question texts beside the answers given, for the answered card. */
export function answersShown(activity: Activity, values: Record<string, string>, locale: 'da' | 'sv' | 'en') {
  return activity.questions.filter((q) => values[q.id]).map((q) => ({ label: q.text[locale], value: values[q.id]!, ...(q.answer === 'date' ? { kind: 'date' } : {}) }));
}

export const refOf = (team: TeamRun, activity: Activity, occurrence: Occurrence): CardRef => ({
  programmeId: team.programme.id,
  activityId: activity.id,
  occurrenceId: occurrence.id,
});

/**
 * A click on a card that is one person's rather than an occurrence's (`ref: { programmeId, userId }`, the
 * hours card): only that person may, whatever their role.
 */
export interface PersonActionSpec {
  card: CardName;
  verbs: readonly string[];
  run(context: { deps: AppDeps; actor: Actor; team: TeamRun; inputs: Record<string, unknown> }): Promise<AppReply>;
}
