import { LOCALES, type Locale, ROLES, type Role } from '../../domain/programme/schema.ts';
import type { AppDeps, AppReply } from '../context.ts';
import type { Member, TeamRef } from '../ports.ts';
import { hasLeadRole } from './options.ts';
import { type SetupSubmitter, setUpRun } from './set-up-run.ts';
import { type SetupValues, setupCard, valuesOf } from './setup-card.ts';

/**
 * The set-up form, opened and submitted, the same for every platform: a receiver reads the
 * platform's facts (the roster, who owns the team) and passes them in; what is valid, who may
 * and what is stored are decided here and in set-up-run.ts.
 */

type Deps = Pick<AppDeps, 'store' | 'outbox' | 'clock' | 'programmes' | 'logger'>;

export type LocalisedReply = AppReply & { locale: Locale; timeZone?: string };

/**
 * Whether this person leads the team as the store knows them (recorded at install, or given on the form),
 * never as a card's data says: the one who may set it up again.
 */
export function installerOf(members: readonly Member[], userId: string): string | undefined {
  return members.some((m) => m.userId === userId && hasLeadRole(m.roles)) ? userId : undefined;
}

export interface SetupFormRequest {
  team: TeamRef;
  userId: string;
  teamName?: string;
  /** The channel the team's posts go to. */
  channelId?: string;
  /** The language to ask in when the team has none yet. */
  locale: Locale;
}

/**
 * The set-up form for someone who asks for it in a team's channel (Slack's `/sparring setup`). A team
 * nobody leads yet is led by whoever asks first, until the form says otherwise; a team with a leader
 * is set up again only by a leader. The roster must be stored before (the form lists its people).
 */
export async function openSetup(deps: Deps, request: SetupFormRequest): Promise<LocalisedReply> {
  const { team, userId } = request;
  const members = await deps.store.members(team);
  const run = await deps.store.getRun(team);
  const locale = run?.locale ?? request.locale;
  if (!members.some((m) => hasLeadRole(m.roles))) {
    const known = members.find((m) => m.userId === userId);
    await deps.store.saveMember(team, { ...(known ?? { userId }), roles: ['leader'] });
    deps.logger.info({ tenant: team.tenant, team: team.team, userId }, 'set-up asked for in a team nobody leads: the asker leads it');
  } else if (!installerOf(members, userId)) {
    deps.logger.warn({ tenant: team.tenant, team: team.team, userId, reason: 'not a leader' }, 'set-up refused');
    return { card: 'error', data: { code: 'setupNotLeader' }, locale };
  }
  const stored = await deps.store.members(team);
  const reply = setupCard(deps, {
    team,
    ...(request.teamName ? { teamName: request.teamName } : {}),
    ...(installerOf(stored, userId) ? { installedBy: userId } : {}),
    ...(request.channelId ? { channelId: request.channelId } : {}),
    locale,
    members: stored,
    ...(run ? { values: valuesOf(run) } : {}),
    whoMay: 'leader',
  });
  return { ...reply, locale, ...(run ? { timeZone: run.timeZone } : {}) };
}

export interface SetupSubmission {
  team: TeamRef;
  by: SetupSubmitter;
  /** The form's inputs by id (see cards/templates/team-setup.json). */
  inputs: Record<string, unknown>;
  /** The team's roster as stored. */
  members: Member[];
  channelId?: string;
  /** The language of a form shown again, when neither the form nor the team chose one. */
  locale: Locale;
  /** Who the form shown again says may start it (see setupCard). */
  whoMay?: 'installer' | 'leader';
}

/** A submitted set-up form: the run started (the 'programme started' card), or the form again naming what to fix. */
export async function submitSetup(deps: Deps, submission: SetupSubmission): Promise<{ ok: boolean; reply: LocalisedReply }> {
  const { team, by, members, channelId } = submission;
  const values = valuesFrom(submission.inputs);
  const installedBy = installerOf(members, by.userId);
  const outcome = await setUpRun(deps, {
    team,
    by,
    ...(installedBy ? { installedBy } : {}),
    programmeId: values.programmeId ?? '',
    settings: values.settings ?? {},
    start: values.start ?? '',
    country: values.country ?? '',
    timeZone: values.timeZone ?? '',
    ...(values.locale ? { locale: values.locale } : {}),
    roles: values.roles ?? {},
    ...(values.calendar ? { calendar: values.calendar } : {}),
    members,
    ...(channelId ? { channelKey: `channel:${channelId}` } : {}),
  });
  if (outcome.ok) return { ok: true, reply: { ...outcome.started, locale: outcome.run.locale, timeZone: outcome.run.timeZone } };
  const run = await deps.store.getRun(team);
  const locale: Locale = isLocale(values.locale) ? values.locale : (run?.locale ?? submission.locale);
  const reply = setupCard(deps, {
    team,
    ...(installedBy ? { installedBy } : {}),
    ...(channelId ? { channelId } : {}),
    locale,
    members,
    values,
    problems: outcome.problems,
    ...(submission.whoMay ? { whoMay: submission.whoMay } : {}),
  });
  return { ok: false, reply: { ...reply, locale } };
}

const isLocale = (value: string | undefined): value is Locale => (LOCALES as readonly (string | undefined)[]).includes(value);

/** The form's inputs: `programme`, `setting:<programme>:<setting>`, `start`, `country`, `timeZone`, `locale`, `role:<user id>`. */
const CALENDAR_CHOICES = ['programme', 'school', 'workplace'] as const;

export function valuesFrom(inputs: Record<string, unknown>): SetupValues {
  const text = (key: string) => (typeof inputs[key] === 'string' ? (inputs[key] as string).trim() : undefined);
  const programmeId = text('programme');
  const settings: Record<string, string> = {};
  const roles: Record<string, Role[]> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (typeof value !== 'string') continue;
    if (programmeId && key.startsWith(`setting:${programmeId}:`)) settings[key.slice(`setting:${programmeId}:`.length)] = value;
    // A multi-select sends "leader,facilitator"; what is not a role is left out.
    if (key.startsWith('role:')) roles[key.slice('role:'.length)] = value.split(',').filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  }
  const optional = (key: keyof SetupValues, value: string | undefined) => (value === undefined ? {} : { [key]: value });
  const kind = CALENDAR_CHOICES.find((k) => k === text('calendarKind'));
  const sportlov = Number(text('sportlov'));
  const calendar = {
    ...(kind ? { kind } : {}),
    ...(Number.isInteger(sportlov) && sportlov >= 7 && sportlov <= 10 ? { sportlovWeek: sportlov } : {}),
    closed: text('closed') ?? '',
    fixed: text('fixed') ?? '',
  };
  return {
    calendar,
    ...optional('programmeId', programmeId),
    settings,
    ...optional('start', text('start')),
    ...optional('country', text('country')),
    ...optional('timeZone', text('timeZone')),
    ...optional('locale', text('locale')),
    roles,
  };
}
