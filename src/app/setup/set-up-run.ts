import { DateTime, IANAZone } from 'luxon';
import type { ViewModelInput } from '../../cards/view-models.ts';
import { activitiesById } from '../../domain/programme/activities.ts';
import { LOCALES, type Locale, type Programme, ROLES, type Role } from '../../domain/programme/schema.ts';
import type { AppDeps, AppReply, TeamRun } from '../context.ts';
import { contentKey, postToChannel } from '../effects.ts';
import type { Member, Run, TeamRef } from '../ports.ts';
import { planOf } from '../run-plan.ts';
import { welcomeFor } from './members.ts';
import { COUNTRY_LOCALE, COUNTRY_ZONE, hasLeadRole, isCountry, occurrenceTitle, type SetupCountry } from './options.ts';
import type { SetupCalendar, SetupProblem } from './setup-card.ts';
import { isLocalDate, parseFixedDate } from '../../domain/timeline/run-calendar.ts';
import type { RunCalendar } from '../../domain/timeline/types.ts';

/**
 * A team's run, set up from the set-up card: who may, what is valid, what is stored, and the
 * 'programme started' card for the channel. Platform facts (is this person a team owner, who
 * installed) come in as plain values; the rule about them is here.
 */

/** Who submits, with what the platform says about them. */
export interface SetupSubmitter {
  userId: string;
  /** The platform names them an owner of the team. */
  teamOwner: boolean;
}

/**
 * Whoever installed the bot and the team's owners may set the team up; in a group chat (no owners) the
 * installer. The receiver tells who installed it from the store (the installer leads until the set-up),
 * never from the card, so a later leader may change the set-up too.
 */
export function maySetUp(by: SetupSubmitter, installedBy: string | undefined): boolean {
  return by.teamOwner || (installedBy !== undefined && by.userId === installedBy);
}

export interface SetUpRequest {
  team: TeamRef;
  by: SetupSubmitter;
  installedBy?: string;
  programmeId: string;
  /** The programme's settings by id; missing ones take the programme's defaults. */
  settings: Record<string, string>;
  start: string;
  country: string;
  /** Blank: the country's usual zone. */
  timeZone: string;
  /** Blank: the country's language. */
  locale?: string;
  /** Roles chosen on the card by user id; a member not named keeps what they had (staff, for someone new). */
  roles: Record<string, Role[]>;
  /** The team's own calendar as the form gives it (closed days and fixed dates as typed). */
  calendar?: SetupCalendar;
  /** The team's roster. */
  members: Member[];
  /** The conversation key of the team channel (`channel:<id>`). */
  channelKey?: string;
}

export type SetUpOutcome = { ok: true; run: Run; started: AppReply } | { ok: false; problems: SetupProblem[] };

type Deps = Pick<AppDeps, 'store' | 'outbox' | 'clock' | 'programmes' | 'logger'>;

/** How many of the first dates the channel's card shows; `/sparring plan` shows the rest. */
const FIRST_DATES = 3;

export async function setUpRun(deps: Deps, request: SetUpRequest): Promise<SetUpOutcome> {
  const context = { tenant: request.team.tenant, team: request.team.team, userId: request.by.userId };
  const refuse = (problems: SetupProblem[]): SetUpOutcome => {
    deps.logger.warn({ ...context, problems: problems.map((p) => p.code) }, 'set-up refused');
    return { ok: false, problems };
  };
  if (!maySetUp(request.by, request.installedBy)) return refuse([{ code: 'notAllowed' }]);

  const checked = check(deps.programmes, request);
  if (!checked.ok) return refuse(checked.problems);
  const { programme, settings, country, timeZone, locale, members, calendar } = checked;

  const existing = await deps.store.getRun(request.team);
  const channelKey = request.channelKey ?? existing?.channelKey;
  const run: Run = {
    team: request.team,
    programmeId: programme.id,
    start: request.start,
    settings,
    timeZone,
    country,
    locale,
    active: true,
    members,
    ...(channelKey ? { channelKey } : {}),
    ...(calendar ? { calendar } : {}),
  };
  await deps.store.saveRun(run);

  const { data, posted } = await announceRun(deps, run, programme);
  deps.logger.info({ ...context, programmeId: run.programmeId, start: run.start, members: members.length, posted }, 'run set up');
  return { ok: true, run, started: { card: 'programme-started', data } };
}

/**
 * A run that starts is announced: the channel gets "programme started" (its settings and first dates) and
 * every member their welcome with their role. Once per choice of programme, start and calendar: setting the
 * team up again the same way posts nothing new, and nobody is welcomed twice (the outbox keeps one per person).
 */
export async function announceRun(deps: Deps, run: Run, programme: Programme): Promise<{ data: ViewModelInput<'programme-started'>; posted: boolean }> {
  const plan = planOf(run, programme);
  const team: TeamRun = { run, programme, plan, activities: activitiesById(programme), roles: [] };
  const data = startedCard(team, deps.clock.now());
  const key = `programme-started:${contentKey([run.programmeId, run.start, run.settings, run.timeZone, run.country, run.locale, run.calendar ?? null])}`;
  const posted = await postToChannel(deps, team, key, { name: 'programme-started', data });
  const welcomes = run.members.flatMap((member) => {
    const welcome = welcomeFor(deps, run, member);
    return welcome ? [{ team: run.team, occurrenceId: 'welcome', recipient: member.userId, card: { name: 'welcome', data: welcome, locale: run.locale, timeZone: run.timeZone } }] : [];
  });
  await deps.outbox.enqueue(welcomes, deps.clock.now().getTime());
  return { data, posted };
}

type Checked =
  | { ok: true; programme: Programme; settings: Record<string, string>; country: SetupCountry; timeZone: string; locale: Locale; members: Member[]; calendar?: RunCalendar }
  | { ok: false; problems: SetupProblem[] };

/** Every problem of a submit at once, so the card names them all. */
function check(programmes: ReadonlyMap<string, Programme>, request: SetUpRequest): Checked {
  const problems: SetupProblem[] = [];
  const programme = programmes.get(request.programmeId);
  if (!programme) problems.push({ code: 'unknownProgramme' });

  const settings: Record<string, string> = {};
  for (const setting of programme?.settings ?? []) {
    const wanted = request.settings[setting.id];
    if (wanted === undefined || wanted === '') settings[setting.id] = setting.default;
    else if (setting.choices.some((c) => c.value === wanted)) settings[setting.id] = wanted;
    else problems.push({ code: 'badSetting', detail: setting.label[request.locale && isLocale(request.locale) ? request.locale : 'da'] });
  }
  for (const id of Object.keys(request.settings)) {
    if (programme && !programme.settings.some((s) => s.id === id)) problems.push({ code: 'badSetting', detail: id });
  }

  if (!/^\d{4}-\d{2}-\d{2}$/.test(request.start) || !DateTime.fromISO(request.start).isValid) problems.push({ code: 'badDate' });
  const country = isCountry(request.country) ? request.country : undefined;
  if (!country) problems.push({ code: 'badCountry' });
  const timeZone = request.timeZone.trim() || COUNTRY_ZONE[country ?? 'DK'];
  if (!IANAZone.isValidZone(timeZone)) problems.push({ code: 'badZone', detail: timeZone });
  const locale = request.locale?.trim() ? request.locale.trim() : COUNTRY_LOCALE[country ?? 'DK'];
  if (!isLocale(locale)) problems.push({ code: 'badLocale' });

  const members = request.members.map((m) => {
    const chosen = (request.roles[m.userId] ?? []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    return { ...m, roles: chosen.length > 0 ? chosen : m.roles.length > 0 ? m.roles : (['staff'] as Role[]) };
  });
  if (!members.some((m) => hasLeadRole(m.roles))) problems.push({ code: 'noLead' });

  const own = ownCalendar(request.calendar, country);
  problems.push(...own.problems);
  if (problems.length > 0 || !programme || !country || !isLocale(locale)) return { ok: false, problems };
  // A fixed date names an occurrence of this programme with these settings.
  const planned: Run = { team: request.team, programmeId: programme.id, start: request.start, settings, timeZone, country, locale, active: true, members: [] };
  const ids = new Set(planOf(planned, programme).occurrences.map((o) => o.id));
  const unknown = Object.keys(own.calendar?.fixed ?? {}).filter((id) => !ids.has(id));
  if (unknown.length > 0) return { ok: false, problems: unknown.map((id) => ({ code: 'badFix', detail: id })) };
  return { ok: true, programme, settings, country, timeZone, locale, members, ...(own.calendar ? { calendar: own.calendar } : {}) };
}

/** The form's calendar fields as the run keeps them (only what differs from the programme's own), or what is wrong with them. */
function ownCalendar(form: SetupCalendar | undefined, country: SetupCountry | undefined): { calendar?: RunCalendar; problems: SetupProblem[] } {
  if (!form) return { problems: [] };
  const problems: SetupProblem[] = [];
  const closed = (form.closed ?? '')
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);
  for (const day of closed) if (!isLocalDate(day)) problems.push({ code: 'badClosed', detail: day });
  const fixed: Record<string, string> = {};
  for (const line of (form.fixed ?? '')
    .split(/[\n,;]+/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(line);
    if (match && parseFixedDate(match[2]!)) fixed[match[1]!] = match[2]!;
    else problems.push({ code: 'badFix', detail: line });
  }
  const calendar: RunCalendar = {
    ...(form.kind && form.kind !== 'programme' ? { kind: form.kind } : {}),
    ...(country === 'SE' && form.sportlovWeek ? { sportlovWeek: form.sportlovWeek } : {}),
    ...(closed.length > 0 ? { closed: [...new Set(closed)].sort() } : {}),
    ...(Object.keys(fixed).length > 0 ? { fixed } : {}),
  };
  return { ...(Object.keys(calendar).length > 0 ? { calendar } : {}), problems };
}

const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);

/** The channel's card: the programme, the chosen settings, the first dates still to come and how many follow. */
function startedCard(team: TeamRun, now: Date): ViewModelInput<'programme-started'> {
  const { run, programme, plan, activities } = team;
  const locale = run.locale;
  const coming = plan.occurrences.filter((o) => Date.parse(o.start) >= now.getTime());
  const first = coming.slice(0, FIRST_DATES).map((o) => ({ at: o.start, title: occurrenceTitle(activities.get(o.activityId)!, o, locale) }));
  const settings = programme.settings.map((s) => ({ label: s.label[locale], value: s.choices.find((c) => c.value === run.settings[s.id])?.label[locale] ?? run.settings[s.id] ?? s.default }));
  return { programmeTitle: programme.title[locale], start: run.start, settings, first, more: coming.length - first.length };
}
