import { DateTime } from 'luxon';
import type { CardContext } from '../../cards/from-activity.ts';
import { formatterFor } from '../../cards/strings.ts';
import type { ViewModelInput } from '../../cards/view-models.ts';
import type { Activity, Programme } from '../../domain/programme/schema.ts';
import { audienceOf } from '../../domain/roles/audience.ts';
import { preparedFor } from '../../domain/timeline/prepares.ts';
import type { Occurrence, Plan } from '../../domain/timeline/types.ts';
import { type ActionContext, type ActionSpec, prefixed } from '../actions/action.ts';
import { type AppReply, errorReply } from '../context.ts';
import { occurrenceCard } from '../occurrence-card.ts';
import { postToMembers } from '../effects.ts';
import type { DocumentStore, Run, TeamDocument } from '../ports.ts';
import { authorName, membersWith } from './authors.ts';
import { currentHandleplan } from './handleplan.ts';

/**
 * I DO ART (Kolding): before each læringssamtale the consultant and the school's leadership share one draft
 * in chat. It starts from the programme (the conversation's purpose, læringshjulet's phases, Styr
 * læringsamtalen) and from the team's handleplan; either side saves a version and the other side gets it;
 * the consultant approves it (it goes to the conversation's participants a set number of days before) or
 * sends it back to the leadership with a comment. Approved, it is the contract for the conversation and no
 * longer changes.
 */

/** Days before the conversation the approved agenda goes out, unless the activity says otherwise. */
export const DEFAULT_POST_DAYS_BEFORE = 3;
const POST_TIME = { hour: 8, minute: 0 };

type Reader = Pick<DocumentStore, 'getDocument' | 'documentVersions'>;

/** The draft's starting text from the programme and the handleplan, by the I DO ART question ids. */
export function idoArtPrefill(run: Run, programme: Programme, plan: Plan, activity: Activity, occurrence: Occurrence, handleplan: TeamDocument | undefined): Record<string, string> {
  const conversation = preparedFor(plan, activity, occurrence);
  const conversationActivity = conversation && programme.phases.flatMap((p) => p.activities).find((a) => a.id === conversation.activityId);
  const t = formatterFor('ido-art-draft', run.locale, run.timeZone);
  const lines = (...parts: Array<string | undefined | false>) => parts.filter((p): p is string => Boolean(p)).join('\n');
  const goal = handleplan?.fields['maal']?.trim();
  const tiltag = handleplan?.fields['hvad']?.trim();
  const values: Record<string, string> = {
    intention: lines(t('prefill.intention'), goal && t('prefill.goal', { goal })),
    'desired-outcome': t('prefill.outcome'),
    'rules-and-roles': t('prefill.roles'),
  };
  if (conversation && conversationActivity) {
    const locale = run.locale;
    values['agenda'] = lines(
      conversationActivity.agenda.length > 0 && t('prefill.wheel'),
      ...conversationActivity.agenda.map((phase, i) => `${i + 1}. ${phase[locale]}`),
      conversationActivity.questions.length > 0 && t('prefill.steer'),
      ...conversationActivity.questions.map((q) => `– ${q.text[locale]}`),
      tiltag && t('prefill.tiltag', { tiltag }),
    );
    const minutes = conversationActivity.durationMinutes;
    const at = new Date(conversation.start);
    values['time'] = minutes % 60 === 0 ? t('prefill.timeHours', { at, hours: minutes / 60 }) : t('prefill.timeMinutes', { at, minutes });
  }
  return values;
}

/** What the draft's card shows from the store: the latest version (or the prefill) and where it stands. */
export async function idoArtContext(store: Reader, run: Run, programme: Programme, plan: Plan, activity: Activity, occurrence: Occurrence): Promise<Partial<CardContext>> {
  const versions = await store.documentVersions(run.team, 'idoArt', occurrence.id);
  const latest = versions.at(-1);
  if (!latest) return { values: idoArtPrefill(run, programme, plan, activity, occurrence, await currentHandleplan(store, run.team)) };
  const { comment, ...values } = latest.fields;
  return {
    values,
    draft: {
      status: latest.status === 'approved' || latest.status === 'sentBack' ? latest.status : 'draft',
      ...(latest.status === 'sentBack' && comment ? { comment } : {}),
      versions: versions.map((v) => {
        const by = authorName(run, v);
        return { ...(by ? { by } : {}), at: v.at, status: v.status === 'approved' || v.status === 'sentBack' ? v.status : 'draft' };
      }),
    },
  };
}

/** When the approved agenda goes to the participants: N days before the conversation at 08:00, or now if that has passed. */
export function agendaPostAt(activity: Activity, conversation: Occurrence, timeZone: string, now: Date): Date {
  const days = activity.postDaysBefore ?? DEFAULT_POST_DAYS_BEFORE;
  const at = DateTime.fromISO(conversation.start, { zone: timeZone })
    .minus({ days })
    .set({ ...POST_TIME, second: 0, millisecond: 0 });
  return new Date(Math.max(at.toMillis(), now.getTime()));
}

/** The draft as the card that answers a click shows it, saved and shared. */
async function draftCard(context: ActionContext, outcome: 'saved' | 'sentBack' | 'approved', queuedFor?: string): Promise<AppReply> {
  const { deps, team, activity, occurrence } = context;
  const extras = await idoArtContext(deps.store, team.run, team.programme, team.plan, activity, occurrence);
  const card = occurrenceCard(team.run, team.programme, team.plan, activity, occurrence, deps.canMail, extras);
  if (card?.name !== 'ido-art-draft') return errorReply('notFound');
  return { card: 'ido-art-draft', data: { ...card.data, outcome, ...(queuedFor ? { queuedFor } : {}) } };
}

/** Saves a version of the draft; refused once the agenda is approved or the conversation has been held. */
async function saveVersion(context: ActionContext, status: TeamDocument['status'], fields: Record<string, string>): Promise<AppReply | { saved: number; conversation: Occurrence }> {
  const { deps, actor, team, activity, occurrence } = context;
  const conversation = preparedFor(team.plan, activity, occurrence);
  if (!conversation) return errorReply('notFound');
  const now = deps.clock.now();
  if (Date.parse(conversation.start) <= now.getTime()) return errorReply('conversationHeld');
  if ((await deps.store.getDocument(actor.team, 'idoArt', occurrence.id))?.status === 'approved') return errorReply('draftApproved');
  await deps.store.saveDocument(actor.team, { kind: 'idoArt', occurrenceId: occurrence.id, authorId: actor.user.userId, fields, status, at: now.toISOString() });
  return { saved: (await deps.store.documentVersions(actor.team, 'idoArt', occurrence.id)).length, conversation };
}

/** The new version to the draft's other people, so both sides work on the same text. */
async function shareVersion(context: ActionContext, version: number, to: string[]) {
  const { deps, team, activity, occurrence } = context;
  const extras = await idoArtContext(deps.store, team.run, team.programme, team.plan, activity, occurrence);
  const card = occurrenceCard(team.run, team.programme, team.plan, activity, occurrence, deps.canMail, extras);
  if (card) await postToMembers(deps, team, `${occurrence.id}#v${version}`, to, { name: card.name, data: card.data });
}

const sectionsOf = (context: ActionContext) => prefixed(context.inputs, 'section:');

/** Either side saves the draft: a new version, sent to the others the draft is for. */
export const saveIdoArtDraft: ActionSpec = {
  card: 'ido-art-draft',
  verbs: ['saveDraft'],
  permission: 'answer',
  async run(context) {
    const saved = await saveVersion(context, 'draft', sectionsOf(context));
    if ('card' in saved) return refused(context, saved);
    const others = audienceOf(context.team.run.members, context.occurrence).filter((id) => id !== context.actor.user.userId);
    await shareVersion(context, saved.saved, others);
    return draftCard(context, 'saved');
  },
};

/** The consultant approves (the agenda is queued for the participants) or sends the draft back with a comment. */
export const decideIdoArtDraft: ActionSpec = {
  card: 'ido-art-draft',
  verbs: ['approve', 'sendBack'],
  permission: 'approveDraft',
  async run(context) {
    const { deps, team, activity, actor } = context;
    const comment = typeof context.inputs['comment'] === 'string' ? context.inputs['comment'].trim() : '';
    if (context.verb === 'sendBack') {
      if (!comment) return refused(context, errorReply('commentNeeded'));
      const saved = await saveVersion(context, 'sentBack', { ...sectionsOf(context), comment });
      if ('card' in saved) return refused(context, saved);
      await shareVersion(context, saved.saved, membersWith(team.run, ['leader'], actor.user.userId));
      return draftCard(context, 'sentBack');
    }
    const saved = await saveVersion(context, 'approved', sectionsOf(context));
    if ('card' in saved) return refused(context, saved);
    const postAt = agendaPostAt(activity, saved.conversation, team.run.timeZone, deps.clock.now());
    const agenda = await approvedAgenda(context, saved.conversation);
    const participants = audienceOf(team.run.members, saved.conversation);
    // Queued before the card says so: "approved" means the participants will get it.
    await postToMembers(deps, team, `${saved.conversation.id}#ido-art`, participants, { name: 'document', data: agenda }, postAt.getTime());
    return draftCard(context, 'approved', postAt.toISOString());
  },
};

/** The approved draft as the participants read it: the conversation's agenda. */
async function approvedAgenda(context: ActionContext, conversation: Occurrence): Promise<ViewModelInput<'document'>> {
  const { deps, team, activity, occurrence, actor } = context;
  const { run, programme } = team;
  const latest = (await deps.store.getDocument(actor.team, 'idoArt', occurrence.id))!;
  const by = authorName(run, latest);
  return {
    kind: 'idoArt',
    title: activity.title[run.locale],
    programmeTitle: programme.title[run.locale],
    meetingAt: conversation.start,
    ...(by ? { by } : {}),
    at: latest.at,
    fields: activity.questions.filter((q) => latest.fields[q.id]?.trim()).map((q) => ({ label: q.text[run.locale], value: latest.fields[q.id]! })),
  };
}

function refused(context: ActionContext, reply: AppReply): AppReply {
  context.deps.logger.warn(
    { tenant: context.actor.team.tenant, team: context.actor.team.team, occurrenceId: context.occurrence.id, verb: context.verb, reason: (reply.data as { code: string }).code },
    'card action refused',
  );
  return reply;
}
