import type { Activity, ActivityKind } from '../domain/programme/schema.ts';
import { HANDLEPLAN } from './documents/handleplan.ts';
import type { DocumentStore } from './store-ports.ts';
import type { TeamRef } from './ports.ts';

/** The kinds whose card is a form the leaders (or the consultant) send: open until it is. */
export const FORM_KINDS: ReadonlySet<ActivityKind> = new Set(['preVisitMail', 'decisionMinutes', 'idoArtDraft', 'actionPlan']);

/**
 * Whether the occurrence's form has been sent: a Bilag B kept (mailed where a mail could leave: one kept without
 * a mail counts too, since the form told them to send it on themselves), a beslutningsreferat sent, an I DO ART
 * approved, the handleplan saved since the card went out (`cardAt`; the plan is one per team, each card asks for
 * a new version of it).
 */
export async function formSent(store: Pick<DocumentStore, 'getDocument' | 'documentVersions'>, team: TeamRef, activity: Activity, occurrenceId: string, cardAt?: string): Promise<boolean> {
  switch (activity.kind) {
    case 'preVisitMail':
      return (await store.getDocument(team, 'preVisitPlan', occurrenceId)) !== undefined;
    case 'decisionMinutes':
      return (await store.getDocument(team, 'decisionMinutes', occurrenceId)) !== undefined;
    case 'idoArtDraft':
      return (await store.getDocument(team, 'idoArt', occurrenceId))?.status === 'approved';
    case 'actionPlan':
      return (await store.documentVersions(team, 'actionPlan', HANDLEPLAN)).some((v) => cardAt === undefined || v.at >= cardAt);
    default:
      return false;
  }
}
