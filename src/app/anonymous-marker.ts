import { createHmac } from 'node:crypto';
import type { TeamRef } from './ports.ts';

/**
 * The "has answered" marker of one person for one anonymous occurrence: an HMAC-SHA256 of the team,
 * the occurrence and the user id under ANONYMITY_SECRET. Without the secret a marker cannot be traced
 * to anyone, nor matched with the same person's marker in another occurrence or team; with it, anyone
 * can compute a given person's marker, which is what the one-answer rule and reminders rely on.
 * The version tag lets a later scheme be told apart from this one.
 */
export function anonymousMarker(secret: string, team: TeamRef, occurrenceId: string, userId: string): string {
  return createHmac('sha256', secret)
    .update(JSON.stringify(['sparringsbot/answered/1', team.tenant, team.team, occurrenceId, userId]))
    .digest('base64url');
}
