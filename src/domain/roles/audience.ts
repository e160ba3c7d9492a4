import type { Activity, Role } from '../programme/schema.ts';

/** A member of a run as far as roles go: who they are and what they do in the team. */
export interface RoleHolder {
  userId: string;
  roles: readonly Role[];
}

/** The members whose roles are in the activity's audience: each gets its card in a 1:1 chat. */
export function audienceOf(members: readonly RoleHolder[], activity: Pick<Activity, 'audience'>): string[] {
  return members.filter((m) => m.roles.some((r) => activity.audience.includes(r))).map((m) => m.userId);
}

/** Those who lead a team's sparring: they post agendas and summaries to the channel. */
export const LEAD_ROLES: readonly Role[] = ['leader', 'facilitator'];

export const isLead = (roles: readonly Role[]) => roles.some((r) => LEAD_ROLES.includes(r));
