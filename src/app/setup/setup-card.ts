import type { SETUP_PROBLEMS, ViewModelInput } from '../../cards/view-models.ts';
import type { Locale, Role } from '../../domain/programme/schema.ts';
import type { AppDeps, AppReply } from '../context.ts';
import type { Member, Run, TeamRef } from '../ports.ts';
import { COUNTRY_ZONE, hasLeadRole, isCountry, membersForCard, nextMonday, type SetupCountry } from './options.ts';

/** A problem with a submitted set-up, named on the card shown again. */
export interface SetupProblem {
  code: (typeof SETUP_PROBLEMS)[number];
  detail?: string;
}

/** What a set-up card was filled in with (a refused submit), or what the team chose before (a reinstall). */
export interface SetupValues {
  programmeId?: string;
  settings?: Record<string, string>;
  start?: string;
  country?: string;
  timeZone?: string;
  locale?: string;
  roles?: Record<string, Role[]>;
  /** The team's own calendar as the form shows it: extra closed days and fixed dates as typed. */
  calendar?: SetupCalendar;
}

export interface SetupCalendar {
  kind?: 'programme' | 'school' | 'workplace';
  sportlovWeek?: number;
  /** "2027-01-04, 2027-01-05" */
  closed?: string;
  /** "workshop-2=2026-11-24T17:00", one a line */
  fixed?: string;
}

export interface SetupCardRequest {
  team: TeamRef;
  teamName?: string;
  installedBy?: string;
  /** The conversation id of the channel or chat the team's posts go to. */
  channelId?: string;
  /** The card's language. */
  locale: Locale;
  /** The team's roster. */
  members: Member[];
  values?: SetupValues;
  problems?: SetupProblem[];
  /** Who may start it, as the form says: the installer or an owner (default), or whoever leads. */
  whoMay?: 'installer' | 'leader';
}

/** The choices a run made, as the values a set-up card starts from: setting a team up again keeps them. */
export function valuesOf(run: Run): SetupValues {
  return {
    programmeId: run.programmeId,
    settings: run.settings,
    start: run.start,
    country: run.country,
    timeZone: run.timeZone,
    locale: run.locale,
    roles: Object.fromEntries(run.members.map((m) => [m.userId, m.roles])),
    calendar: {
      kind: run.calendar?.kind ?? 'programme',
      ...(run.calendar?.sportlovWeek ? { sportlovWeek: run.calendar.sportlovWeek } : {}),
      closed: (run.calendar?.closed ?? []).join(', '),
      fixed: Object.entries(run.calendar?.fixed ?? {})
        .map(([id, at]) => `${id}=${at}`)
        .join('\n'),
    },
  };
}

/** The set-up card: every programme, every programme's settings, the start, the country, the zone, the language and the roles. */
export function setupCard(deps: Pick<AppDeps, 'programmes' | 'clock'>, request: SetupCardRequest): AppReply {
  const { locale, values = {} } = request;
  const programmes = [...deps.programmes.values()];
  const chosen = values.programmeId !== undefined && deps.programmes.has(values.programmeId) ? values.programmeId : programmes[0]?.id;
  const country: SetupCountry = values.country !== undefined && isCountry(values.country) ? values.country : locale === 'sv' ? 'SE' : 'DK';
  const timeZone = values.timeZone?.trim() || COUNTRY_ZONE[country];

  const settings = programmes.flatMap((p) =>
    p.settings.map((s) => {
      const wanted = p.id === chosen ? values.settings?.[s.id] : undefined;
      const value = wanted !== undefined && s.choices.some((c) => c.value === wanted) ? wanted : s.default;
      return { id: `${p.id}:${s.id}`, label: `${p.title[locale]}: ${s.label[locale]}`, value, choices: s.choices.map((c) => ({ title: c.label[locale], value: c.value })) };
    }),
  );

  // Roles as chosen on the card, else as stored; the installer leads until someone else does.
  const roleOf = (m: Member): Role[] => values.roles?.[m.userId] ?? m.roles;
  const anyLead = request.members.some((m) => hasLeadRole(roleOf(m)));
  const { shown, more } = membersForCard(request.members, request.installedBy);
  const members = shown.map((m) => {
    const roles = roleOf(m);
    const role: Role = roles.find((r) => r !== 'staff') ?? (!anyLead && m.userId === request.installedBy ? 'leader' : 'staff');
    return { id: m.userId, name: m.name ?? m.userId, role };
  });

  const data: ViewModelInput<'team-setup'> = {
    team: { tenant: request.team.tenant, team: request.team.team },
    ...(request.teamName ? { teamName: request.teamName } : {}),
    ...(request.installedBy ? { installedBy: request.installedBy } : {}),
    ...(request.channelId ? { channelId: request.channelId } : {}),
    programmes: programmes.map((p) => ({ id: p.id, title: p.title[locale] })),
    ...(chosen ? { programmeId: chosen } : {}),
    settings,
    start: values.start && /^\d{4}-\d{2}-\d{2}$/.test(values.start) ? values.start : nextMonday(deps.clock.now(), COUNTRY_ZONE[country]),
    country,
    timeZone,
    locale: values.locale === 'da' || values.locale === 'sv' || values.locale === 'en' ? values.locale : locale,
    members,
    moreMembers: more,
    problems: (request.problems ?? []).map((p) => ({ code: p.code, ...(p.detail ? { detail: p.detail } : {}) })),
    ...(request.whoMay ? { whoMay: request.whoMay } : {}),
    calendarKind: values.calendar?.kind ?? 'programme',
    ...(values.calendar?.sportlovWeek ? { sportlovWeek: values.calendar.sportlovWeek } : {}),
    closed: values.calendar?.closed ?? '',
    fixed: values.calendar?.fixed ?? '',
  };
  return { card: 'team-setup', data };
}
