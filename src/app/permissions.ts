import type { Role } from '../domain/programme/schema.ts';
import { LEAD_ROLES } from '../domain/roles/audience.ts';
import type { Occurrence } from '../domain/timeline/types.ts';

/**
 * Who may do what: one table for `/sparring` commands and card clicks alike, so a button can never
 * do what the command would refuse the same person.
 */
export type Permission = 'everyone' | 'answer' | 'postToChannel' | 'readAllAnswers' | 'approveDraft';

interface Rule {
  /** Those the occurrence was sent to may. */
  audience: boolean;
  /** Anyone with one of these roles may. */
  roles: readonly Role[];
}

export const WHO_MAY: Record<Exclude<Permission, 'everyone'>, Rule> = {
  /** Answer a prompt, fill in a form, save a document: the card was theirs. */
  answer: { audience: true, roles: [] },
  /** Post to the whole team channel (an agenda, a summary). */
  postToChannel: { audience: false, roles: LEAD_ROLES },
  /** Open every written answer of a summary: those asked, and the team's leaders. */
  readAllAnswers: { audience: true, roles: LEAD_ROLES },
  /** Approve an I DO ART draft or send it back to the school: the consultant's, as the seed has it. */
  approveDraft: { audience: false, roles: ['consultant'] },
};

/** Who may, by role: what a refusal names. For a click, those the occurrence was sent to count too. */
export function whoMay(permission: Permission, occurrence?: Pick<Occurrence, 'audience'>): Role[] {
  if (permission === 'everyone') return [];
  const rule = WHO_MAY[permission];
  return [...new Set([...(rule.audience ? (occurrence?.audience ?? []) : []), ...rule.roles])];
}

/** Whether someone with these roles may; `occurrence` is what a click is about (a command has none). */
export function may(permission: Permission, roles: readonly Role[], occurrence?: Pick<Occurrence, 'audience'>): boolean {
  if (permission === 'everyone') return true;
  const rule = WHO_MAY[permission];
  const inAudience = rule.audience && (occurrence?.audience.some((r) => roles.includes(r)) ?? false);
  return inAudience || rule.roles.some((r) => roles.includes(r));
}
