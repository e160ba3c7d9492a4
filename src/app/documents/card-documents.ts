import type { CardContext } from '../../cards/from-activity.ts';
import type { Activity, Programme } from '../../domain/programme/schema.ts';
import type { Occurrence, Plan } from '../../domain/timeline/types.ts';
import type { DocumentStore, Run } from '../ports.ts';
import { minutesGoTo } from './decision-minutes.ts';
import { currentHandleplan, tiltagOf } from './handleplan.ts';
import { idoArtContext } from './ido-art.ts';

export type DocumentReader = Pick<DocumentStore, 'getDocument' | 'documentVersions'>;

/**
 * What an occurrence's card shows of the team's documents when it is sent or opened: the handleplan as it
 * stands in its form and its tiltag on the læringssamtale, the shared I DO ART draft, a beslutningsreferat
 * written so far and who it goes to.
 */
export async function cardDocuments(store: DocumentReader, run: Run, programme: Programme, plan: Plan, activity: Activity, occurrence: Occurrence): Promise<Partial<CardContext>> {
  switch (activity.kind) {
    case 'actionPlan': {
      const handleplan = await currentHandleplan(store, run.team);
      return handleplan ? { values: handleplan.fields } : {};
    }
    case 'learningConversation':
      return { tiltag: tiltagOf(programme, await currentHandleplan(store, run.team), run.locale) };
    case 'idoArtDraft':
      return idoArtContext(store, run, programme, plan, activity, occurrence);
    case 'decisionMinutes': {
      const minutes = await store.getDocument(run.team, 'decisionMinutes', occurrence.id);
      return { goesTo: minutesGoTo(run, programme, plan, activity, occurrence), ...(minutes ? { values: minutes.fields } : {}) };
    }
    default:
      return {};
  }
}
