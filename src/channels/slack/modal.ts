// The form a Slack button opens. A message cannot hold the card's inputs, so its button (`open:<verb>`)
// carries only the action's data; the modal is the same card rendered again for the occurrence.
import type { AppDeps } from '../../app/context.ts';
import { occurrenceById, teamRun } from '../../app/context.ts';
import type { TenantOnly } from '../../app/inbound.ts';
import type { Run, TeamRef } from '../../app/ports.ts';
import { cardFor } from '../../cards/from-activity.ts';
import { renderSlackCard } from '../../cards/render.ts';
import type { SlackModal } from '../../cards/slack/from-adaptive.ts';

type Json = Record<string, unknown>;

async function runFor(deps: Pick<AppDeps, 'store'>, team: TeamRef | TenantOnly, userId: string, programmeId: string | undefined): Promise<Run | undefined> {
  if (team.team !== undefined) return deps.store.getRun(team);
  const teams = (await deps.store.listTeams()).filter((t) => t.tenant === team.tenant);
  const runs = (await Promise.all(teams.map((t) => deps.store.getRun(t)))).filter((r): r is Run => r?.members.some((m) => m.userId === userId) ?? false);
  return runs.find((r) => r.programmeId === programmeId) ?? runs.find((r) => r.active) ?? runs[0];
}

/** The modal for `verb` of the card the button's data names, or undefined (no such run, occurrence or form). */
export async function modalFor(deps: AppDeps, team: TeamRef | TenantOnly, userId: string, verb: string, data: Json): Promise<SlackModal | undefined> {
  const ref = data['ref'] as { programmeId?: unknown; activityId?: unknown; occurrenceId?: unknown } | undefined;
  if (typeof ref?.occurrenceId !== 'string' || typeof ref.activityId !== 'string') return undefined;
  const run = await runFor(deps, team, userId, typeof ref.programmeId === 'string' ? ref.programmeId : undefined);
  if (!run?.members.some((m) => m.userId === userId)) return undefined;
  const found = await teamRun(deps, { team: run.team, user: { userId, platform: 'slack', platformUserId: userId } });
  if (!found) return undefined;
  const occurrence = occurrenceById(found, ref.occurrenceId);
  const activity = found.activities.get(ref.activityId);
  if (!occurrence || !activity) return undefined;
  const guide = run.members.find((m) => m.roles.includes('guide'));
  const target = activity.timing.type === 'before' ? activity.timing.activity : undefined;
  const targetStart = target && found.plan.occurrences.find((o) => o.activityId === target && Date.parse(o.start) > Date.parse(occurrence.start))?.start;
  const card = cardFor({
    programme: found.programme,
    activity,
    occurrence,
    locale: run.locale,
    timeZone: run.timeZone,
    mailRoute: Boolean(deps.canMail && guide?.email),
    ...(guide ? { guideName: guide.name ?? guide.userId } : {}),
    ...(targetStart ? { targetStart } : {}),
  });
  if (!card) return undefined;
  const rendered = renderSlackCard(card.name, card.data, { locale: run.locale, timeZone: run.timeZone, ...(card.template ? { template: card.template } : {}) });
  return rendered.modals[verb];
}
