import { DEFAULT_TIMEZONE } from '../domain/calendar/calendar.ts';
import { LOCALES, type Activity, type Programme } from '../domain/programme/schema.ts';
import type { Occurrence } from '../domain/timeline/types.ts';
import { validateAdaptiveCard } from './adaptive/validate.ts';
import { CARD_OF_KIND, cardFor } from './from-activity.ts';
import { CHANNELS, renderCard } from './render.ts';
import { validateSlackMessage, validateSlackModal } from './slack/block-kit.ts';
import type { SlackCard } from './slack/from-adaptive.ts';

/**
 * A programme's own card template goes through the checks the built-in ones do: it is expanded
 * with the activity's own content in every language and for every channel, and each result must
 * be valid Adaptive Card 1.5 and valid Block Kit. Returns "path: reason" lines, none when fine.
 */
export function checkProgrammeTemplates(programme: Programme): string[] {
  const problems: string[] = [];
  programme.phases.forEach((phase, p) =>
    phase.activities.forEach((activity, a) => {
      const template = activity.card?.template;
      if (!template) return;
      const at = `phases.${p}.activities.${a}.card.template`;
      if (!CARD_OF_KIND[activity.kind]) {
        problems.push(`${at}: an activity of kind "${activity.kind}" is not posted as a card, so it cannot have a card template`);
        return;
      }
      problems.push(...checkOne(programme, activity, at));
    }),
  );
  return problems;
}

/** A stand-in occurrence with every field a card may show, so the template's every branch is expanded. */
function sampleOccurrence(activity: Activity): Occurrence {
  return {
    id: activity.id,
    activityId: activity.id,
    kind: activity.kind,
    start: '2026-09-14T08:00:00.000Z',
    end: '2026-09-28T08:00:00.000Z',
    weeks: [38],
    part: 1,
    moments: ['A', 'B'],
    audience: activity.audience,
  };
}

function checkOne(programme: Programme, activity: Activity, at: string): string[] {
  const seen = new Set<string>();
  for (const locale of LOCALES) {
    const card = cardFor({ programme, activity, occurrence: sampleOccurrence(activity), locale, timeZone: DEFAULT_TIMEZONE, guideName: 'Guide', targetStart: '2026-09-21T08:00:00.000Z' });
    if (!card) continue;
    for (const channel of CHANNELS) {
      let rendered: ReturnType<typeof renderCard>;
      try {
        rendered = renderCard(card.name, card.data, channel, { locale, ...(card.template ? { template: card.template } : {}) });
      } catch (error) {
        seen.add(`${at}: cannot be expanded (${(error as Error).message})`);
        continue;
      }
      const violations = channel === 'teams' ? validateAdaptiveCard(rendered) : slackViolations(rendered as SlackCard);
      for (const v of violations) seen.add(`${at}: ${channel === 'teams' ? 'Adaptive Card' : 'Slack'}: ${v.path}: ${v.message}`);
    }
  }
  return [...seen];
}

function slackViolations(card: SlackCard) {
  return [...validateSlackMessage({ text: card.text, blocks: card.blocks }), ...Object.values(card.modals).flatMap((modal) => validateSlackModal(modal))];
}
