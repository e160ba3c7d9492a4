import { isLocalDate, parseFixedDate } from '../../domain/timeline/run-calendar.ts';
import type { Plan, RunCalendar } from '../../domain/timeline/types.ts';
import { occurrenceTitle } from '../../domain/programme/activities.ts';
import { type AppReply, errorReply, type TeamRun } from '../context.ts';
import { contentKey, postToChannel } from '../effects.ts';
import { planOf } from '../run-plan.ts';
import type { CommandSpec } from './command.ts';

/**
 * `/sparring calendar`: the team's own calendar, shown, or changed by a leader. The words after it say what:
 * `closed <dates>` and `open <dates>` (extra closed days, YYYY-MM-DD, commas between), `fix <occurrence>=<date>`
 * and `unfix <occurrence>` (a date someone else set, YYYY-MM-DD or YYYY-MM-DDTHH:MM), `kind school|workplace`,
 * `sportlov 7-10`. After a change the plan is computed again; dates that moved are announced in the channel,
 * and what was already sent is not sent again (the scheduler fires each occurrence once, whatever its date).
 */
export const USAGE = [
  '/sparring calendar',
  '/sparring calendar closed 2027-01-04,2027-01-05',
  '/sparring calendar open 2027-01-04',
  '/sparring calendar fix <id>=2027-02-02T17:00',
  '/sparring calendar unfix <id>',
  '/sparring calendar kind school|workplace',
  '/sparring calendar sportlov 7|8|9|10',
];

type Change = { ok: true; calendar: RunCalendar } | { ok: false; reason: string };

const list = (words: string[]) =>
  words
    .join(',')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

/** The calendar with one change applied, or why the words are not a change. Pure. */
export function changedCalendar(current: RunCalendar, words: string[]): Change {
  const [verb = '', ...rest] = words;
  const values = list(rest);
  const bad = (reason: string): Change => ({ ok: false, reason });
  switch (verb.toLowerCase()) {
    case 'closed': {
      if (values.length === 0 || !values.every(isLocalDate)) return bad('closed needs dates');
      return { ok: true, calendar: { ...current, closed: [...new Set([...(current.closed ?? []), ...values])].sort() } };
    }
    case 'open': {
      if (values.length === 0 || !values.every(isLocalDate)) return bad('open needs dates');
      return { ok: true, calendar: { ...current, closed: (current.closed ?? []).filter((d) => !values.includes(d)) } };
    }
    case 'fix': {
      const fixed = { ...current.fixed };
      for (const pair of values) {
        const match = /^([^=]+)=(.+)$/.exec(pair);
        if (!match || !parseFixedDate(match[2]!)) return bad('fix needs id=date');
        fixed[match[1]!] = match[2]!;
      }
      return values.length === 0 ? bad('fix needs id=date') : { ok: true, calendar: { ...current, fixed } };
    }
    case 'unfix': {
      if (values.length === 0) return bad('unfix needs ids');
      const fixed = Object.fromEntries(Object.entries(current.fixed ?? {}).filter(([id]) => !values.includes(id)));
      return { ok: true, calendar: { ...current, fixed } };
    }
    case 'kind':
      return values.length === 1 && (values[0] === 'school' || values[0] === 'workplace') ? { ok: true, calendar: { ...current, kind: values[0] } } : bad('kind is school or workplace');
    case 'sportlov': {
      const week = Number(values[0]);
      return values.length === 1 && Number.isInteger(week) && week >= 7 && week <= 10 ? { ok: true, calendar: { ...current, sportlovWeek: week } } : bad('sportlov is a week 7-10');
    }
    default:
      return bad('unknown change');
  }
}

/** Occurrences still to come whose start the change moved: what the channel is told. */
export function movedBy(before: Plan, after: Plan, now: Date): Array<{ id: string; activityId: string; from: string; to: string }> {
  const was = new Map(before.occurrences.map((o) => [o.id, o.start]));
  return after.occurrences
    .filter((o) => was.has(o.id) && was.get(o.id) !== o.start && Math.max(Date.parse(o.start), Date.parse(was.get(o.id)!)) > now.getTime())
    .map((o) => ({ id: o.id, activityId: o.activityId, from: was.get(o.id)!, to: o.start }));
}

function calendarCard(team: TeamRun, moved: Array<{ title: string; from: string; to: string }>, changed: boolean): AppReply {
  const { run, programme, plan, activities } = team;
  const own = run.calendar ?? {};
  const titleOf = (id: string) => {
    const o = plan.occurrences.find((x) => x.id === id);
    const a = o && activities.get(o.activityId);
    return o && a ? occurrenceTitle(a, o, run.locale) : id;
  };
  return {
    card: 'calendar',
    data: {
      programmeTitle: programme.title[run.locale],
      kind: own.kind ?? programme.calendar,
      ...(run.country === 'SE' ? { sportlovWeek: own.sportlovWeek ?? 9 } : {}),
      closed: own.closed ?? [],
      fixed: Object.entries(own.fixed ?? {}).map(([id, at]) => ({ id, title: titleOf(id), at })),
      changed,
      moved,
      usage: USAGE,
    },
  };
}

export const calendar: CommandSpec = {
  permission: 'everyone',
  takesArguments: true,
  async run({ deps, actor, team, args, refuse }) {
    if (args.length === 0) return calendarCard(team, [], false);
    if (!team.roles.some((r) => r === 'leader' || r === 'facilitator')) return refuse('calendar change by a non-leader', errorReply('onlyLeaders', ['/sparring calendar']));
    const change = changedCalendar(team.run.calendar ?? {}, args);
    if (!change.ok) return refuse(change.reason, errorReply('badArgument', USAGE));
    const known = new Set(team.plan.occurrences.map((o) => o.id));
    const unknown = Object.keys(change.calendar.fixed ?? {}).find((id) => !known.has(id));
    if (unknown) return refuse('unknown occurrence to fix', errorReply('notFound', [...known].slice(0, 12)));
    const run = { ...team.run, calendar: change.calendar };
    await deps.store.saveRun(run);
    const plan = planOf(run, team.programme);
    const moved = movedBy(team.plan, plan, deps.clock.now()).map((m) => {
      const activity = team.activities.get(m.activityId)!;
      const occurrence = plan.occurrences.find((o) => o.id === m.id)!;
      return { title: occurrenceTitle(activity, occurrence, run.locale), from: m.from, to: m.to };
    });
    const after: TeamRun = { ...team, run, plan };
    if (moved.length > 0) {
      await postToChannel(deps, after, `plan-changed:${contentKey(change.calendar)}`, { name: 'plan-changed', data: { programmeTitle: team.programme.title[run.locale], moved } });
    }
    deps.logger.info({ tenant: actor.team.tenant, team: actor.team.team, userId: actor.user.userId, change: args[0], moved: moved.length }, 'team calendar changed');
    return calendarCard(after, moved, true);
  },
};
