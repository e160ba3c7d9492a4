import type { Run, TeamDocument } from '../ports.ts';

/** The name a version is shown with: the member's name; none once the author's data is erased or they have left. */
export function authorName(run: Pick<Run, 'members'>, document: Pick<TeamDocument, 'authorId'>): string | undefined {
  return document.authorId === null ? undefined : run.members.find((m) => m.userId === document.authorId)?.name;
}

/** The question ids whose text differs between two versions (a field left out counts as empty). */
export function changedFields(before: Record<string, string> | undefined, after: Record<string, string>, ids: readonly string[]): string[] {
  return ids.filter((id) => (before?.[id] ?? '').trim() !== (after[id] ?? '').trim());
}

/** The members with one of these roles, but not `except`: who a shared document goes to. */
export function membersWith(run: Pick<Run, 'members'>, roles: readonly string[], except?: string): string[] {
  return run.members.filter((m) => m.userId !== except && m.roles.some((r) => roles.includes(r))).map((m) => m.userId);
}
