import { DateTime } from 'luxon';
import { cardFor, summaryCardFor } from '../cards/from-activity.ts';
import { COMMANDS } from '../cards/view-models.ts';
import { summariseOccurrence } from '../app/summarise-occurrence.ts';
import type { Role } from '../domain/programme/schema.ts';
import type { Occurrence } from '../domain/timeline/types.ts';
import { audienceOf, CHANNEL_RECIPIENT } from '../scheduler/fan-out.ts';
import { errorReply, occurrenceById, teamRun, type ChatDeps, type ChatReply, type ChatUser, type TeamRun } from './context.ts';

/**
 * `/sparring <command>`, the same on every platform: Teams, Slack and the playground pass the text
 * after `/sparring` and get back the card to show the person. A wrong command, argument or role gets
 * an error card with the valid choices, is logged, and changes nothing.
 */

export type Command = (typeof COMMANDS)[number];

/** Who may run what: leaders and facilitators post to the channel; everyone sees the plan and their own status. */
export const COMMAND_ROLES: Record<Command, Role[] | 'everyone'> = {
  help: 'everyone',
  plan: 'everyone',
  status: 'everyone',
  agenda: ['leader', 'facilitator'],
  summary: ['leader', 'facilitator'],
};

const KINDS_WITH_REPLIES = new Set(['reflectionPrompt', 'questionnaire', 'practicePrompt', 'learningConversation']);
const LEADS: Role[] = ['leader', 'facilitator'];

export function allowedCommands(roles: Role[]): Command[] {
  return COMMANDS.filter((c) => COMMAND_ROLES[c] === 'everyone' || (COMMAND_ROLES[c] as Role[]).some((r) => roles.includes(r)));
}

export async function runCommand(deps: ChatDeps, who: ChatUser, text: string): Promise<ChatReply> {
  const [word = 'help', ...args] = text.trim().replace(/^\/sparring\b/i, '').trim().split(/\s+/).filter(Boolean);
  const command = word.toLowerCase();
  const team = await teamRun(deps, who);
  const roles = team?.roles ?? [];
  const allowed = allowedCommands(roles);
  const refuse = (reason: string, reply: ChatReply) => {
    deps.logger.warn({ tenant: who.team.tenant, team: who.team.team, userId: who.user.userId, command, reason }, 'command refused');
    return reply;
  };

  if (!(COMMANDS as readonly string[]).includes(command)) return refuse('unknown command', errorReply('unknownCommand', allowed));
  if (command === 'help') return { card: 'help', data: { commands: allowed } };
  if (!team) return refuse('no run', errorReply('notMember'));
  if (!allowed.includes(command as Command)) return refuse('wrong role', errorReply('wrongRole', allowed));

  switch (command as Exclude<Command, 'help'>) {
    case 'plan':
      return args.length > 0 ? refuse('extra argument', errorReply('badArgument', ['/sparring plan'])) : planReply(deps, team);
    case 'status':
      return args.length > 0 ? refuse('extra argument', errorReply('badArgument', ['/sparring status'])) : statusReply(deps, who, team);
    case 'agenda':
      return args.length > 0 ? refuse('extra argument', errorReply('badArgument', ['/sparring agenda'])) : postAgenda(deps, team, refuse);
    case 'summary':
      return postSummary(deps, team, args, refuse);
  }
}

const now = (deps: ChatDeps) => deps.clock.now();
const started = (deps: ChatDeps) => (o: Occurrence) => Date.parse(o.start) <= now(deps).getTime();

function planReply(deps: ChatDeps, team: TeamRun): ChatReply {
  const upcoming = team.plan.occurrences.filter((o) => !started(deps)(o)).slice(0, 8);
  const title = (o: Occurrence) => team.activities.get(o.activityId)!.title[team.run.locale];
  return { card: 'plan', data: { programmeTitle: team.programme.title[team.run.locale], entries: upcoming.map((o) => ({ at: o.start, title: title(o) })) } };
}

async function statusReply(deps: ChatDeps, who: ChatUser, team: TeamRun): Promise<ChatReply> {
  const lead = team.roles.some((r) => LEADS.includes(r));
  const mine = (o: Occurrence) => lead || o.audience.some((r) => team.roles.includes(r));
  const recent = team.plan.occurrences.filter((o) => started(deps)(o) && KINDS_WITH_REPLIES.has(o.kind) && mine(o)).slice(-5);
  const rows = await Promise.all(
    recent.map(async (o) => {
      const activity = team.activities.get(o.activityId)!;
      const respondents = await deps.store.respondents(who.team, o.id);
      const row = { title: activity.title[team.run.locale], answered: respondents.length, invited: audienceOf(team.run, activity).length };
      return lead ? row : { ...row, done: respondents.includes(who.user.userId) };
    }),
  );
  const next = team.plan.occurrences.find((o) => !started(deps)(o) && mine(o));
  const deadLetters = lead ? (await deps.outbox.deadLetters(1000)).filter((l) => l.team.tenant === who.team.tenant && l.team.team === who.team.team).length : undefined;
  return {
    card: 'status',
    data: {
      programmeTitle: team.programme.title[team.run.locale],
      rows,
      ...(next ? { next: { title: team.activities.get(next.activityId)!.title[team.run.locale], at: next.start } } : {}),
      ...(deadLetters === undefined ? {} : { deadLetters }),
    },
  };
}

/** This month's sparring meeting in the team's zone, or the next one when this month's has none. */
function thisMonthsMeeting(deps: ChatDeps, team: TeamRun): Occurrence | undefined {
  const month = DateTime.fromJSDate(now(deps), { zone: team.run.timeZone }).toFormat('yyyy-MM');
  const meetings = team.plan.occurrences.filter((o) => o.kind === 'sparringMeeting');
  const inMonth = (o: Occurrence) => DateTime.fromISO(o.start, { zone: team.run.timeZone }).toFormat('yyyy-MM') === month;
  return meetings.find(inMonth) ?? meetings.find((o) => !started(deps)(o));
}

async function postToChannel(deps: ChatDeps, team: TeamRun, occurrenceId: string, card: { name: string; data: unknown }) {
  await deps.outbox.enqueue(
    [{ team: team.run.team, occurrenceId, recipient: team.run.channelKey ?? CHANNEL_RECIPIENT, card: { ...card, locale: team.run.locale, timeZone: team.run.timeZone } }],
    now(deps).getTime(),
  );
}

async function postAgenda(deps: ChatDeps, team: TeamRun, refuse: (reason: string, reply: ChatReply) => ChatReply): Promise<ChatReply> {
  const meeting = thisMonthsMeeting(deps, team);
  const activity = meeting && team.activities.get(meeting.activityId);
  const card = meeting && activity && cardFor({ programme: team.programme, activity, occurrence: meeting, locale: team.run.locale, timeZone: team.run.timeZone });
  if (!meeting || !card) return refuse('no sparring meeting', errorReply('noAgenda'));
  // Keyed by the meeting: asking twice in a month posts the agenda once.
  await postToChannel(deps, team, `agenda:${meeting.id}`, { name: card.name, data: { ...card.data, posted: true } });
  const ref = { programmeId: team.programme.id, activityId: activity.id, occurrenceId: meeting.id };
  return { card: 'answered', data: { ref, title: activity.title[team.run.locale], answeredAt: now(deps).toISOString(), outcome: 'posted' } };
}

async function postSummary(deps: ChatDeps, team: TeamRun, args: string[], refuse: (reason: string, reply: ChatReply) => ChatReply): Promise<ChatReply> {
  const eligible = team.plan.occurrences.filter((o) => started(deps)(o) && KINDS_WITH_REPLIES.has(o.kind));
  // The choices offered: the latest questionnaires and reflections, and only the latest of the daily prompts.
  const daily = eligible.filter((o) => o.kind === 'practicePrompt').slice(-1);
  const choices = [...eligible.filter((o) => o.kind !== 'practicePrompt').slice(-4), ...daily].map((o) => o.id);
  const occurrence = args.length === 1 ? occurrenceById(team, args[0]!) : undefined;
  if (!occurrence || !eligible.includes(occurrence)) return refuse('bad occurrence', errorReply('badArgument', choices));
  const activity = team.activities.get(occurrence.activityId)!;
  const summary = await summariseOccurrence(deps, {
    team: team.run.team,
    programme: team.programme,
    activity,
    occurrenceId: occurrence.id,
    invited: audienceOf(team.run, activity).length,
    locale: team.run.locale,
  });
  const card = { name: 'summary', data: summaryCardFor(team.programme, activity, occurrence.id, summary, team.run.locale) };
  // One post per minute at most: asking again later posts the newer figures.
  await postToChannel(deps, team, `summary:${occurrence.id}:${now(deps).toISOString().slice(0, 16)}`, card);
  return { card: 'answered', data: { ref: card.data.ref, title: activity.title[team.run.locale], answeredAt: now(deps).toISOString(), outcome: 'posted' } };
}
