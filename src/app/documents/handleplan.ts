import type { ViewModelInput } from '../../cards/view-models.ts';
import type { Activity, Locale, Programme, Question } from '../../domain/programme/schema.ts';
import type { AppReply, TeamRun } from '../context.ts';
import { postToMembers } from '../effects.ts';
import type { DocumentStore, TeamDocument, TeamRef } from '../ports.ts';
import { type ActionSpec, answersShown, prefixed, refOf } from '../actions/action.ts';
import { authorName, changedFields, membersWith } from './authors.ts';

/**
 * The handleplan (Kolding): one per team, not one per card. Every action-plan card of the programme (before
 * each læringssamtale, and the update after it) starts with the plan as it stands and saves into the same
 * plan; each save is a version (who, when, what changed), and the consultant gets the plan in chat each
 * time it changes, as the seed has it: "deler den med konsulenten".
 */

/** The occurrence id the team's one handleplan is kept under. */
export const HANDLEPLAN = 'handleplan';

type Reader = Pick<DocumentStore, 'getDocument' | 'documentVersions'>;

export const currentHandleplan = (store: Reader, team: TeamRef) => store.getDocument(team, 'actionPlan', HANDLEPLAN);

/** The plan's questions, as the programme's first action-plan card asks them: the labels a plan is shown with. */
export function handleplanQuestions(programme: Programme): Question[] {
  return programme.phases.flatMap((p) => p.activities).find((a) => a.kind === 'actionPlan')?.questions ?? [];
}

/** The plan's tiltag (the fields grouped under "Tiltag og Tegn"): what Styr læringsamtalen's four questions ask about. */
export function tiltagOf(programme: Programme, plan: TeamDocument | undefined, locale: Locale): Array<{ label: string; value: string }> {
  if (!plan) return [];
  return handleplanQuestions(programme)
    .filter((q) => q.help !== undefined && plan.fields[q.id]?.trim())
    .map((q) => ({ label: q.text[locale], value: plan.fields[q.id]! }));
}

/** The plan as the document card shows it: the latest version, what it changed, and every earlier version newest first. */
export async function handleplanView(store: Reader, team: TeamRun): Promise<ViewModelInput<'document'> | undefined> {
  const { run, programme } = team;
  const versions = await store.documentVersions(run.team, 'actionPlan', HANDLEPLAN);
  const latest = versions.at(-1);
  if (!latest) return undefined;
  const questions = handleplanQuestions(programme);
  const ids = questions.map((q) => q.id);
  const locale = run.locale;
  const label = (id: string) => questions.find((q) => q.id === id)!.text[locale];
  const changedInLatest = versions.length > 1 ? changedFields(versions.at(-2)!.fields, latest.fields, ids) : [];
  const by = authorName(run, latest);
  return {
    kind: 'handleplan',
    title: programme.phases.flatMap((p) => p.activities).find((a) => a.kind === 'actionPlan')!.title[locale],
    programmeTitle: programme.title[locale],
    ...(by ? { by } : {}),
    at: latest.at,
    fields: questions
      .filter((q) => latest.fields[q.id]?.trim())
      .map((q) => ({ label: q.text[locale], value: latest.fields[q.id]!, ...(q.help ? { group: q.help[locale] } : {}), changed: changedInLatest.includes(q.id) })),
    history: versions
      .map((v, i) => {
        const name = authorName(run, v);
        return { version: i + 1, ...(name ? { by: name } : {}), at: v.at, changed: i === 0 ? [] : changedFields(versions[i - 1]!.fields, v.fields, ids).map(label) };
      })
      .reverse(),
  };
}

/** The school saves its handleplan: a new version when anything changed, shared with the consultant. */
export const saveHandleplan: ActionSpec = {
  card: 'action-plan',
  verbs: ['savePlan'],
  permission: 'answer',
  async run({ deps, actor, team, occurrence, activity, inputs }): Promise<AppReply> {
    const fields = written(activity, prefixed(inputs, 'field:'));
    const at = deps.clock.now().toISOString();
    const current = await currentHandleplan(deps.store, actor.team);
    // The update card asks fewer or other things: what it does not ask stays as it was.
    const merged = { ...current?.fields, ...fields };
    const consultants = membersWith(team.run, ['consultant'], actor.user.userId);
    if (!current || changedFields(current.fields, merged, Object.keys(merged)).length > 0) {
      await deps.store.saveDocument(actor.team, { kind: 'actionPlan', occurrenceId: HANDLEPLAN, authorId: actor.user.userId, fields: merged, status: 'saved', at });
      const view = await handleplanView(deps.store, team);
      const count = (await deps.store.documentVersions(actor.team, 'actionPlan', HANDLEPLAN)).length;
      // One key per version: a platform's retry of this click posts once, the next change posts again.
      if (view) await postToMembers(deps, team, `${HANDLEPLAN}#v${count}`, consultants, { name: 'document', data: view });
    }
    const answers = answersShown(activity, merged, team.run.locale);
    const outcome = consultants.length > 0 ? 'shared' : 'saved';
    return { card: 'answered', data: { ref: refOf(team, activity, occurrence), title: activity.title[team.run.locale], answeredAt: at, outcome, answers } };
  },
};

/** The card's fields with text in them, trimmed: an emptied field is kept as empty, so a plan can lose a line on purpose. */
function written(activity: Activity, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(activity.questions.flatMap((q) => (q.id in values ? [[q.id, values[q.id]!.trim()]] : [])));
}
