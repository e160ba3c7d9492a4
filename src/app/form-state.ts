import type { Activity, ActivityKind } from '../domain/programme/schema.ts';
import type { DocumentStore, TeamDocument } from './store-ports.ts';
import type { TeamRef } from './ports.ts';

/** The document a form's submit keeps, by the form's kind: its being there says the form has been sent. */
const FORM_DOCUMENT: Partial<Record<ActivityKind, TeamDocument['kind']>> = { preVisitMail: 'preVisitPlan', decisionMinutes: 'decisionMinutes' };

/**
 * Whether the leaders have sent the occurrence's form (kept, and mailed where a mail could leave): a plan
 * kept without a mail counts too, since the form told them to send it on themselves.
 */
export async function formSent(store: Pick<DocumentStore, 'getDocument'>, team: TeamRef, activity: Activity, occurrenceId: string): Promise<boolean> {
  const kind = FORM_DOCUMENT[activity.kind];
  return kind !== undefined && (await store.getDocument(team, kind, occurrenceId)) !== undefined;
}
