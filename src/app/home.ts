import { CARD_OF_KIND } from '../cards/from-activity.ts';
import { catalogue } from '../cards/strings.ts';
import type { CardName, ViewModelInput } from '../cards/view-models.ts';
import { collectsReplies, occurrenceTitle } from '../domain/programme/activities.ts';
import type { Locale } from '../domain/programme/schema.ts';
import type { Platform } from '../domain/replies/reply.ts';
import type { Occurrence } from '../domain/timeline/types.ts';
import { answersShown, refOf } from './actions/action.ts';
import { ACTION_REGISTRY } from './actions/handle-card-action.ts';
import { type AppDeps, hasStarted, isClosed, teamRun } from './context.ts';
import { findRun } from './inbound.ts';
import { ownCardOut } from './occurrence-card.ts';

/**
 * A person's home (Slack's App Home): the prompts waiting for their answer, each with the button its own
 * card has; the next dates for them; and their latest named answers. Read only. An anonymous answer is
 * never listed: the store cannot link it to the person, and nothing here tries (`hasAnswered` only tells
 * whether they answered, through their keyed marker, so an answered anonymous prompt is no longer open).
 */

/** How much a home lists: it is an overview, and Slack's home view holds at most 100 blocks. */
export const HOME_LIMITS = { open: 8, next: 5, answers: 5 } as const;

export interface HomeView {
  data: ViewModelInput<'home'>;
  locale: Locale;
  timeZone: string;
}

/** The home of someone in no run of the workspace: it says only that. */
export const NOT_IN_PROGRAMME: HomeView = { data: { inProgramme: false }, locale: 'da', timeZone: 'Europe/Copenhagen' };

/** The verb a card is answered with (its first `answer` action): what the home's button sends. */
function answerVerb(card: CardName): string | undefined {
  for (const action of ACTION_REGISTRY.values()) if (action.card === card && action.permission === 'answer') return action.verbs[0];
  return undefined;
}

const newestFirst = (a: Occurrence, b: Occurrence) => Date.parse(b.start) - Date.parse(a.start);

/** The person's home in the workspace's run that has them (as a click from a direct message finds it); undefined when none does. */
export async function homeFor(deps: AppDeps, tenant: string, platformUserId: string, platform: Platform = 'slack'): Promise<HomeView | undefined> {
  const run = await findRun(deps, { tenant }, platformUserId, undefined, platform);
  const member = run?.members.find((m) => m.userId === platformUserId);
  if (!run || !member) return undefined;
  const team = await teamRun(deps, { team: run.team, user: { userId: member.userId, platform, platformUserId } });
  if (!team) return undefined;
  const { locale } = team.run;
  const now = deps.clock.now();
  const mine = (o: Occurrence) => o.audience.some((r) => team.roles.includes(r));
  // Out: its own card has been sent (a form may go out days before its occurrence).
  const started = team.plan.occurrences.filter((o) => ownCardOut(team, o, now)).sort(newestFirst);
  const activityOf = (o: Occurrence) => team.activities.get(o.activityId)!;

  // Open: started, answered with a card of theirs, not closed, and not answered by them (named or anonymous).
  const candidates = started.flatMap((o) => {
    const activity = activityOf(o);
    const card = CARD_OF_KIND[o.kind];
    const verb = card && answerVerb(card);
    if (!activity || !card || !verb || !collectsReplies(o.kind) || !mine(o) || isClosed(activity, o, now)) return [];
    return [{ o, activity, card, verb }];
  });
  const answered = await Promise.all(candidates.map(({ o }) => deps.store.hasAnswered(run.team, o.id, [member.userId])));
  // Those that close come first, the soonest first; then the rest, newest first (`candidates` is newest first).
  const closesAt = (c: (typeof candidates)[number]) => (c.activity.windowDays ? Date.parse(c.o.end) : Number.POSITIVE_INFINITY);
  const open = candidates.filter((_, i) => !answered[i]!.has(member.userId)).sort((a, b) => closesAt(a) - closesAt(b) || newestFirst(a.o, b.o));

  // Next: the coming dates of their activities.
  const next = team.plan.occurrences
    .filter((o) => !hasStarted(now)(o) && mine(o) && activityOf(o))
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .slice(0, HOME_LIMITS.next);

  // Their latest named answers: who answered is known only for named occurrences.
  const named = started.filter((o) => collectsReplies(o.kind) && activityOf(o) && !activityOf(o).anonymous);
  const respondents = await Promise.all(named.map((o) => deps.store.respondents(run.team, o.id)));
  const theirs = named.filter((_, i) => respondents[i]!.includes(member.userId));
  const replies = (await Promise.all(theirs.map(async (o) => ({ o, reply: (await deps.store.namedReplies(run.team, o.id)).find((r) => r.respondent.userId === member.userId) })))).flatMap(
    ({ o, reply }) => (reply ? [{ o, reply }] : []),
  );
  replies.sort((a, b) => Date.parse(b.reply.at) - Date.parse(a.reply.at));
  const noteLabel = String(catalogue(locale)['practice-prompt']?.['noteLabel'] ?? 'Note');

  return {
    locale,
    timeZone: team.run.timeZone,
    data: {
      programmeTitle: team.programme.title[locale],
      open: open.slice(0, HOME_LIMITS.open).map(({ o, activity, card, verb }) => ({
        card,
        verb,
        ref: refOf(team, activity, o),
        title: occurrenceTitle(activity, o, locale),
        sentAt: o.start,
        ...(activity.windowDays ? { closesAt: o.end } : {}),
      })),
      moreOpen: Math.max(0, open.length - HOME_LIMITS.open),
      next: next.map((o) => ({ title: occurrenceTitle(activityOf(o), o, locale), at: o.start })),
      answers: replies.slice(0, HOME_LIMITS.answers).map(({ o, reply }) => {
        const activity = activityOf(o);
        const note = reply.values['note'];
        return {
          title: occurrenceTitle(activity, o, locale),
          at: reply.at,
          outcome: reply.outcome,
          answers: [
            ...answersShown(activity, reply.values, locale).map((a) => ({ label: a.label, value: a.value, ...(a.kind === 'date' ? { kind: 'date' as const } : {}) })),
            ...(note ? [{ label: noteLabel, value: note }] : []),
          ],
        };
      }),
    },
  };
}
