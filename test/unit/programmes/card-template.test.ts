import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cardFor } from '../../../src/cards/from-activity.ts';
import { defaultTemplate, renderAdaptiveCard, renderSlackCard } from '../../../src/cards/render.ts';
import { loadProgrammeFile, ProgrammeFileError } from '../../../src/programmes/load.ts';
import { plan, programme } from '../../support/plans.ts';

type Json = Record<string, unknown>;

/** A copy of the Odense programme whose first practice prompt uses `template`, written next to it. */
function programmeWith(template: unknown, change: (activity: Json) => void = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-template-'));
  const copy = structuredClone(programme('odense-science-boernehoejde')) as unknown as { id: string; phases: Array<{ activities: Json[] }> };
  copy.id = 'odense-copy';
  const activity = copy.phases.flatMap((p) => p.activities).find((a) => a['kind'] === 'practicePrompt')!;
  activity['card'] = { template: 'my-prompt.json' };
  change(activity);
  if (template !== undefined) writeFileSync(join(dir, 'my-prompt.json'), JSON.stringify(template));
  const file = join(dir, 'odense-copy.yaml');
  writeFileSync(file, stringify(copy));
  return { file, activityId: String(activity['id']) };
}

function problemsOf(file: string): string[] {
  try {
    loadProgrammeFile(file);
  } catch (error) {
    if (error instanceof ProgrammeFileError) return error.lines;
    throw error;
  }
  return [];
}

describe("a programme's own card template", () => {
  const ownTemplate = () => {
    const template = structuredClone(defaultTemplate('practice-prompt')) as { body: Json[] };
    template.body.splice(2, 0, { type: 'TextBlock', text: 'Husk: tag et billede til personalemødet.', wrap: true });
    return template;
  };

  it('is read from the file next to the programme and used for that activity in every channel', () => {
    const { file, activityId } = programmeWith(ownTemplate());
    const loaded = loadProgrammeFile(file);
    const activity = loaded.phases.flatMap((p) => p.activities).find((a) => a.id === activityId)!;
    const occurrence = plan(loaded, '2026-08-10', { country: 'DK' }).occurrences.find((o) => o.activityId === activityId)!;
    const card = cardFor({ programme: loaded, activity, occurrence, locale: 'da', timeZone: 'Europe/Copenhagen' })!;
    const options = { locale: 'da' as const, template: card.template! };
    expect(JSON.stringify(renderAdaptiveCard(card.name, card.data, options))).toContain('Husk: tag et billede til personalemødet.');
    expect(JSON.stringify(renderSlackCard(card.name, card.data, options))).toContain('Husk: tag et billede til personalemødet.');
  });

  it('is refused when its card is not valid Adaptive Card 1.5, naming the property', () => {
    const template = ownTemplate();
    (template.body[6] as Json)['isMultiLine'] = true;
    const { file } = programmeWith(template);
    expect(problemsOf(file)).toEqual([
      expect.stringMatching(/odense-copy\.yaml: phases\.\d+\.activities\.\d+\.card\.template: Adaptive Card: body\[6\]\.isMultiLine: Input\.Text has no property "isMultiLine"/),
    ]);
  });

  it('is refused when it would break a Slack limit', () => {
    const template = ownTemplate();
    template.body.push(...Array.from({ length: 3 }, () => ({ type: 'Input.Text', id: 'x'.repeat(300), label: 'Lang' })));
    const problems = problemsOf(programmeWith(template).file);
    expect(problems.some((p) => p.includes('Slack') && p.includes('action_id'))).toBe(true);
  });

  it('names a template file that is missing, once', () => {
    expect(problemsOf(programmeWith(undefined).file)).toEqual([expect.stringMatching(/card\.template: cannot read the template my-prompt\.json \(ENOENT\)$/)]);
  });

  it('is refused on an activity that is not posted as a card', () => {
    const { file } = programmeWith(ownTemplate(), (activity) => (activity['kind'] = 'meeting'));
    expect(problemsOf(file)).toEqual([expect.stringMatching(/not posted as a card/)]);
  });
});

describe("a programme's own questions", () => {
  it('appear on the card as inputs, checked like the rest', () => {
    const { file, activityId } = programmeWith(undefined, (activity) => {
      delete activity['card'];
      activity['kind'] = 'reflectionPrompt';
      activity['questions'] = [{ id: 'egen', text: { da: 'Hvad overraskede dig?', sv: 'Vad överraskade dig?', en: 'What surprised you?' } }];
    });
    const loaded = loadProgrammeFile(file);
    const activity = loaded.phases.flatMap((p) => p.activities).find((a) => a.id === activityId)!;
    const occurrence = plan(loaded, '2026-08-10', { country: 'DK' }).occurrences.find((o) => o.activityId === activityId)!;
    const card = cardFor({ programme: loaded, activity, occurrence, locale: 'sv', timeZone: 'Europe/Stockholm' })!;
    expect(renderAdaptiveCard(card.name, card.data, { locale: 'sv' }).body).toContainEqual(
      expect.objectContaining({ type: 'Container', items: [expect.objectContaining({ id: 'answer:egen', label: 'Vad överraskade dig?' })] }),
    );
  });
});
