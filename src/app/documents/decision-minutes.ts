import { formatterFor } from '../../cards/strings.ts';
import type { Activity, Programme, Role } from '../../domain/programme/schema.ts';
import { roleNameOf } from '../../domain/roles/names.ts';
import { followedUp } from '../../domain/timeline/prepares.ts';
import type { Occurrence, Plan } from '../../domain/timeline/types.ts';
import { type ActionSpec, answersShown, prefixed, refOf } from '../actions/action.ts';
import { contentKey, postToMembers } from '../effects.ts';
import type { Run } from '../ports.ts';
import { authorName, membersWith } from './authors.ts';

/**
 * The beslutningsreferat (Kolding): after the skoleudviklingssamtale the school leader writes it, and it goes to
 * the conversation's participants and to the chief (the skolechef), each in their own chat. Sent again with
 * changes, it goes again; the same text sent twice goes once.
 */

/** Who gets it: the roles of the meeting it records, and the chief. */
function recipientRoles(plan: Plan, activity: Activity, occurrence: Occurrence): Role[] {
  const meeting = followedUp(plan, activity, occurrence);
  return [...new Set<Role>([...(meeting?.audience ?? activity.audience), 'chief'])];
}

/** "skoleleder (ledelsesteam), skolechef": the recipients by the programme's own names for their roles. */
export function minutesGoTo(run: Run, programme: Programme, plan: Plan, activity: Activity, occurrence: Occurrence): string {
  const t = formatterFor('notice', run.locale, run.timeZone);
  return recipientRoles(plan, activity, occurrence)
    .map((role) => roleNameOf(programme, role, run.locale) ?? t(`roles.${role}`))
    .join(', ');
}

export const sendDecisionMinutes: ActionSpec = {
  card: 'decision-minutes',
  verbs: ['send'],
  permission: 'answer',
  async run({ deps, actor, team, occurrence, activity, inputs }) {
    const { run } = team;
    const fields = Object.fromEntries(Object.entries(prefixed(inputs, 'field:')).map(([id, value]) => [id, value.trim()]));
    const at = deps.clock.now().toISOString();
    await deps.store.saveDocument(actor.team, { kind: 'decisionMinutes', occurrenceId: occurrence.id, authorId: actor.user.userId, fields, status: 'saved', at });
    const by = authorName(run, { authorId: actor.user.userId });
    const meeting = followedUp(team.plan, activity, occurrence);
    const minutes = {
      kind: 'decisionMinutes' as const,
      title: activity.title[run.locale],
      programmeTitle: team.programme.title[run.locale],
      ...(meeting ? { meetingAt: meeting.start } : {}),
      ...(by ? { by } : {}),
      at,
      fields: activity.questions.filter((q) => fields[q.id]).map((q) => ({ label: q.text[run.locale], value: fields[q.id]! })),
    };
    const to = membersWith(run, recipientRoles(team.plan, activity, occurrence), actor.user.userId);
    await postToMembers(deps, team, `${occurrence.id}#${contentKey(fields)}`, to, { name: 'document', data: minutes });
    return { card: 'answered', data: { ref: refOf(team, activity, occurrence), title: minutes.title, answeredAt: at, outcome: 'minutesSent', answers: answersShown(activity, fields, run.locale) } };
  },
};
