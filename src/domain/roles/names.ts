import type { Locale, Programme, Role } from '../programme/schema.ts';

/** The programme's own word for a role in this language (Skolverket's leader: "rektor"), when the file names it. */
export function roleNameOf(programme: Pick<Programme, 'roleNames'>, role: Role, locale: Locale): string | undefined {
  return programme.roleNames?.[role]?.[locale];
}
