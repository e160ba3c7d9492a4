// The form a Slack button opens. A message cannot hold the card's inputs, so its button (`open:<verb>`)
// carries only the action's data; the modal is the same card rendered again for the occurrence.
import type { AppDeps } from '../../app/context.ts';
import { teamRun } from '../../app/context.ts';
import { occurrenceClick } from '../../app/actions/handle-card-action.ts';
import { findRun, type TenantOnly } from '../../app/inbound.ts';
import { cardDocuments } from '../../app/documents/card-documents.ts';
import { hoursReply } from '../../app/commands/hours.ts';
import { occurrenceCard } from '../../app/occurrence-card.ts';
import type { TeamRef } from '../../app/ports.ts';
import { renderSlackCard } from '../../cards/render.ts';
import type { SlackModal } from '../../cards/slack/from-adaptive.ts';

type Json = Record<string, unknown>;

/** The modal for `verb` of the card the button's data names, or undefined (no such run, occurrence or form). */
export async function modalFor(deps: AppDeps, team: TeamRef | TenantOnly, userId: string, verb: string, data: Json): Promise<SlackModal | undefined> {
  if (data['card'] === 'hours') return hoursModal(deps, team, userId, verb, data);
  const ref = data['ref'] as { programmeId?: unknown } | undefined;
  const run = await findRun(deps, team, userId, typeof ref?.programmeId === 'string' ? ref.programmeId : undefined, 'slack');
  if (!run?.members.some((m) => m.userId === userId)) return undefined;
  // Only a click the app would take opens its form: a form of a card not out yet, closed, of another activity
  // or for another role would show what its submit refuses. A refused click goes on to the app, which says why.
  const click = await occurrenceClick(deps, { team: run.team, user: { userId, platform: 'slack', platformUserId: userId } }, { verb, data, inputs: {} });
  if ('refused' in click) return undefined;
  const { team: found, occurrence, activity } = click;
  // The form as it stands now: the handleplan, the draft's latest version (the message may be older).
  const documents = await cardDocuments(deps.store, run, found.programme, found.plan, activity, occurrence);
  const card = occurrenceCard(run, found.programme, found.plan, activity, occurrence, deps.canMail, documents);
  if (!card) return undefined;
  const rendered = renderSlackCard(card.name, card.data, { locale: run.locale, timeZone: run.timeZone, ...(card.template ? { template: card.template } : {}) });
  return formOf(rendered.modals, verb);
}

// The verb is the sender's: `__proto__` or `constructor` must find no form.
const formOf = (modals: Record<string, SlackModal>, verb: string) => (Object.hasOwn(modals, verb) ? modals[verb] : undefined);

/**
 * The hours card's form, with the clicking person's own bookings as they stand now. Someone else's card
 * opens no form: the click goes to the app, which says whose hours they are.
 */
async function hoursModal(deps: AppDeps, team: TeamRef | TenantOnly, userId: string, verb: string, data: Json): Promise<SlackModal | undefined> {
  const ref = data['ref'] as { programmeId?: unknown; userId?: unknown } | undefined;
  if (ref?.userId !== userId) return undefined;
  const run = await findRun(deps, team, userId, typeof ref.programmeId === 'string' ? ref.programmeId : undefined, 'slack');
  const found = run && (await teamRun(deps, { team: run.team, user: { userId, platform: 'slack', platformUserId: userId } }));
  if (!run || !found || !run.members.some((m) => m.userId === userId)) return undefined;
  const reply = await hoursReply(deps, found, userId);
  return formOf(renderSlackCard(reply.card, reply.data, { locale: run.locale, timeZone: run.timeZone }).modals, verb);
}
