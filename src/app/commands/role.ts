import { LOCALES, type Programme, ROLES, type Role } from '../../domain/programme/schema.ts';
import { isLead } from '../../domain/roles/audience.ts';
import { catalogue } from '../../cards/strings.ts';
import { type AppReply, errorReply, type TeamRun } from '../context.ts';
import type { Member } from '../ports.ts';
import type { CommandSpec } from './command.ts';

/**
 * `/sparring role`: who has which role in the team; `/sparring role <person> <role>` lets a leader or
 * facilitator change one person's. The person is named as the platform writes a mention (Slack's
 * `<@U…|name>`), by their name, or by their id; the role by its id or its name in any of the cards'
 * languages ("leder", "chef", "konsulent"). The team always keeps someone who leads.
 */
export const ROLE_USAGE = ['/sparring role', '/sparring role <navn> leader|facilitator|staff|consultant|guide|chief'];

const fold = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** A role by its id, by its name on the set-up card in da, sv or en, or by the programme's own name for it (Kolding's "skolechef"). */
export function roleNamed(word: string, programme?: Pick<Programme, 'roleNames'>): Role | undefined {
  const wanted = fold(word);
  for (const role of ROLES) {
    if (fold(role) === wanted) return role;
    if (LOCALES.some((locale) => programme?.roleNames?.[role]?.[locale] !== undefined && fold(programme.roleNames[role]![locale]) === wanted)) return role;
    for (const locale of LOCALES) {
      const names = (catalogue(locale)['team-setup'] as { roleNames?: Record<string, string> } | undefined)?.roleNames;
      if (names?.[role] && fold(names[role]) === wanted) return role;
    }
  }
  return undefined;
}

/** The member the words name: a Slack mention, an id, or a whole name (several words). */
export function memberNamed(members: readonly Member[], words: string): Member | undefined {
  const mention = /^<@([\w.:-]+)(?:\|[^>]*)?>$/.exec(words.trim());
  if (mention) return members.find((m) => m.userId === mention[1]);
  const wanted = fold(words.replace(/^@/, ''));
  return members.find((m) => fold(m.userId) === wanted) ?? members.find((m) => m.name !== undefined && fold(m.name) === wanted);
}

function rolesCard(team: TeamRun, members: readonly Member[], changed?: { name: string; role: Role }): AppReply {
  const { run, programme } = team;
  return {
    card: 'roles',
    data: {
      programmeTitle: programme.title[run.locale],
      members: members.map((m) => ({ name: m.name ?? m.userId, roles: m.roles })),
      ...(changed ? { changed } : {}),
      usage: ROLE_USAGE,
    },
  };
}

export const role: CommandSpec = {
  permission: 'everyone',
  takesArguments: true,
  async run({ deps, actor, team, args, refuse }) {
    const members = await deps.store.members(actor.team);
    if (args.length === 0) return rolesCard(team, members);
    if (!isLead(team.roles)) return refuse('role change by a non-leader', errorReply('onlyLeaders', ['/sparring role']));
    const roleWord = args.at(-1)!;
    const wanted = roleNamed(roleWord, team.programme);
    const person = memberNamed(members, args.slice(0, -1).join(' '));
    if (!wanted || !person) return refuse(wanted ? 'no such member' : 'no such role', errorReply('badArgument', ROLE_USAGE));
    const after = members.map((m) => (m.userId === person.userId ? { ...m, roles: [wanted] } : m));
    if (!after.some((m) => isLead(m.roles))) return refuse('would leave the team without a lead', errorReply('badArgument', ROLE_USAGE));
    await deps.store.saveMember(actor.team, { ...person, roles: [wanted] });
    deps.logger.info({ tenant: actor.team.tenant, team: actor.team.team, userId: actor.user.userId, member: person.userId, role: wanted }, 'role changed');
    return rolesCard(team, after, { name: person.name ?? person.userId, role: wanted });
  },
};
