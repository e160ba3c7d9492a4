import { describe, expect, it } from 'vitest';
import { validateAdaptiveCard } from '../../../src/cards/adaptive/validate.ts';
import { CardDataError, renderAdaptiveCard, renderSlackCard, type AdaptiveCardJson } from '../../../src/cards/render.ts';
import { CARD_OF_KIND } from '../../../src/cards/from-activity.ts';
import { sampleData } from '../../../src/cards/samples.ts';
import { validateSlackMessage, validateSlackModal } from '../../../src/cards/slack/block-kit.ts';
import type { SlackCard } from '../../../src/cards/slack/from-adaptive.ts';
import { CARD_NAMES } from '../../../src/cards/view-models.ts';
import { LOCALES } from '../../../src/domain/programme/schema.ts';
import { extremeData, longText } from '../../support/card-data.ts';

function slackViolations(card: SlackCard) {
  return [
    ...validateSlackMessage({ text: card.text, blocks: card.blocks }),
    ...Object.entries(card.modals).flatMap(([verb, modal]) => validateSlackModal(modal).map((v) => ({ ...v, path: `modals.${verb}.${v.path}` }))),
  ];
}

/** Every text a person would read on the card, in order. */
function texts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => (['text', 'title', 'label', 'value'].includes(key) && typeof v === 'string' ? [v] : key === 'data' ? [] : texts(v)));
  }
  return [];
}

const cases = CARD_NAMES.flatMap((name) => LOCALES.map((locale) => [name, locale] as const));

describe.each(cases)('%s in %s', (name, locale) => {
  it('renders valid Adaptive Card 1.5 and Block Kit from realistic data, every placeholder filled', () => {
    const data = sampleData(name, locale);
    const adaptive = renderAdaptiveCard(name, data, { locale });
    const slack = renderSlackCard(name, data, { locale });
    expect(validateAdaptiveCard(adaptive)).toEqual([]);
    expect(slackViolations(slack)).toEqual([]);
    expect(JSON.stringify(adaptive)).not.toMatch(/\$\{|\$when|\$data/);
    expect(texts(adaptive).every((t) => t.trim().length > 0 || t === '')).toBe(true);
  });

  it.each(['huge', 'empty'] as const)('stays valid with %s data', (mode) => {
    const data = extremeData(name, locale, mode);
    expect(validateAdaptiveCard(renderAdaptiveCard(name, data, { locale }))).toEqual([]);
    expect(slackViolations(renderSlackCard(name, data, { locale }))).toEqual([]);
  });
});

describe('the validators catch real violations', () => {
  const base = () => renderAdaptiveCard('practice-prompt', sampleData('practice-prompt', 'da'), { locale: 'da' });

  it('names a misspelt property that the official parser silently drops', () => {
    const card = base();
    (card.body[5] as Record<string, unknown>)['isMultiLine'] = true;
    expect(validateAdaptiveCard(card)).toEqual([expect.objectContaining({ path: 'body[5].isMultiLine', rule: 'known properties only' })]);
  });

  it('names an element newer than 1.5, a duplicate input id and a required input without a label', () => {
    const card = base();
    card.body.push({ type: 'Carousel', pages: [] });
    card.body.push({ type: 'Input.Text', id: 'note' });
    card.body.push({ type: 'Input.Text', id: 'other', isRequired: true, errorMessage: 'x' });
    const rules = validateAdaptiveCard(card).map((v) => v.rule);
    expect(rules).toContain('adaptivecards: UnknownElementType');
    expect(rules).toContain('adaptivecards: DuplicateId');
    expect(rules).toContain('adaptivecards: RequiredInputsShouldHaveLabel');
  });

  it('names a property from a later version', () => {
    const card = base();
    (card.body[5] as Record<string, unknown>)['labelPosition'] = 'inline';
    expect(validateAdaptiveCard(card).map((v) => v.rule)).toContain('adaptivecards: UnsupportedProperty');
  });

  it('names the Slack limit a payload broke', () => {
    const slack = renderSlackCard('practice-prompt', sampleData('practice-prompt', 'da'), { locale: 'da' });
    slack.blocks.push({ type: 'section', text: { type: 'mrkdwn', text: longText(3001) } });
    expect(slackViolations(slack)).toEqual([expect.objectContaining({ rule: 'section text ≤ 3000 characters' })]);
  });
});

describe('data that would break a limit is cut visibly, never a failed post', () => {
  it('a summary with 200 written answers shows ten, says how many more, and offers the rest', () => {
    const sample = sampleData('summary', 'da');
    const answers = Array.from({ length: 200 }, (_, i) => `Svar nummer ${i + 1} om øvebanen`);
    const data = { ...sample, items: [{ id: 'fritekst', text: 'Hvad har du lært?', answers }] };
    const card = renderAdaptiveCard('summary', data, { locale: 'da' });
    const shown = texts(card);
    expect(shown.filter((t) => t.startsWith('“Svar nummer'))).toHaveLength(10);
    expect(shown).toContain('… og 190 svar mere');
    expect(card['actions']).toEqual([expect.objectContaining({ verb: 'showAll', title: 'Vis alle svar' })]);
  });

  it('a Slack message over 50 blocks keeps its buttons, says how much is left and links to the rest', () => {
    const data = { ...sampleData('sparring-agenda', 'da'), leaderQuestions: Array.from({ length: 60 }, (_, i) => `Spørgsmål ${i + 1}`.padEnd(2990, '.')) };
    const slack = renderSlackCard('sparring-agenda', data, { locale: 'da' });
    expect(slack.blocks).toHaveLength(50);
    expect(slackViolations(slack)).toEqual([]);
    const contexts = slack.blocks.filter((b) => b.type === 'context').map((b) => JSON.stringify(b));
    expect(contexts.some((c) => /… og \d+ mere/.test(c))).toBe(true);
    const actions = slack.blocks.filter((b) => b.type === 'actions').flatMap((b) => b['elements'] as Array<{ action_id: string }>);
    expect(actions.map((a) => a.action_id)).toEqual(['showRest', 'open:postAgenda']);
  });

  it('a text longer than a Slack section ends in "…" and the card text is escaped for Slack', () => {
    const data = { ...sampleData('practice-prompt', 'da'), task: `<b>Leg & lær</b> ${longText(4000)}` };
    const section = renderSlackCard('practice-prompt', data, { locale: 'da' }).blocks.find((b) => b.type === 'section' && JSON.stringify(b).includes('Leg &amp;'));
    const text = (section!['text'] as { text: string }).text;
    expect(text.startsWith('&lt;b&gt;Leg &amp; lær&lt;/b&gt;')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.endsWith('…')).toBe(true);
  });

  it('a card over Teams’ 80 KB budget is shortened with "…" until it fits', () => {
    const data = { ...sampleData('action-plan', 'da'), fields: Array.from({ length: 50 }, (_, i) => ({ id: `f${i}`, label: longText(1500), value: longText(1900) })) };
    const card = renderAdaptiveCard('action-plan', data, { locale: 'da' });
    expect(JSON.stringify(card).length * 2).toBeLessThanOrEqual(80_000);
    expect(texts(card).some((t) => t.endsWith('…'))).toBe(true);
    expect(validateAdaptiveCard(card)).toEqual([]);
  });

  it('a form with 80 questions keeps every input in its Slack modal', () => {
    const questions = Array.from({ length: 80 }, (_, i) => ({ id: `q${i}`, text: `Spørgsmål ${i + 1}`, help: 'Skriv kort' }));
    const slack = renderSlackCard('reflection-prompt', { ...sampleData('reflection-prompt', 'da'), questions }, { locale: 'da' });
    const modal = slack.modals['answer'];
    expect(modal?.blocks.filter((b) => b.type === 'input')).toHaveLength(80);
    expect(slackViolations(slack)).toEqual([]);
  });
});

describe('what the cards say', () => {
  it('shows times in the team’s zone: a 13:00 Copenhagen meeting reads 13.00 in Danish and 13:00 in English', () => {
    const da = texts(renderAdaptiveCard('sparring-agenda', sampleData('sparring-agenda', 'da'), { locale: 'da' }));
    const en = texts(renderAdaptiveCard('sparring-agenda', sampleData('sparring-agenda', 'en'), { locale: 'en' }));
    expect(da.find((t) => / kl\. \d/.test(t))).toMatch(/kl\. 13\.00$/);
    expect(en.find((t) => / at \d/.test(t))).toMatch(/at 13:00$/);
  });

  it('Bilag A: the time box, the group size and the five questions, with room for the leader’s own', () => {
    const card = renderAdaptiveCard('sparring-agenda', sampleData('sparring-agenda', 'da'), { locale: 'da' });
    const shown = texts(card);
    expect(shown).toEqual(expect.arrayContaining(['30–40 minutter', '3–4 personer']));
    expect(shown.filter((t) => /^[1-5]\. /.test(t))).toHaveLength(5);
    expect(card.body).toContainEqual(expect.objectContaining({ type: 'Input.Text', id: 'leaderQuestions' }));
  });

  it('the answered card shows the reply and has nothing left to click or fill in', () => {
    const card = renderAdaptiveCard('answered', sampleData('answered', 'da'), { locale: 'da' });
    expect(texts(card)).toContain('Godt gået! Dagens øvebane er udført.');
    expect(JSON.stringify(card)).not.toMatch(/"Input\.|"Action\./);
  });

  it('an anonymous summary with fewer answers than the threshold shows only the count', () => {
    const data = { ...sampleData('summary', 'sv'), answered: 4, threshold: 5 };
    const shown = texts(renderAdaptiveCard('summary', data, { locale: 'sv' }));
    expect(shown).toContain('4 av 12 har svarat');
    expect(shown).toContain('Svaren är anonyma och visas först när minst 5 har svarat.');
    expect(shown.some((t) => t.startsWith('“'))).toBe(false);
  });

  it('participation is a bar read at a glance', () => {
    const shown = texts(renderAdaptiveCard('summary', sampleData('summary', 'en'), { locale: 'en' }));
    expect(shown).toContain('9 of 12 have answered');
    expect(shown).toContain('▰▰▰▰▰▰▰▰▱▱ 75%');
  });

  it('refuses data that does not fit the card, naming each field', () => {
    expect(() => renderAdaptiveCard('questionnaire', { title: '' }, { locale: 'da' })).toThrow(CardDataError);
    try {
      renderAdaptiveCard('questionnaire', { ...sampleData('questionnaire', 'da'), closesAt: 'i morgen' }, { locale: 'da' });
    } catch (error) {
      expect((error as CardDataError).problems).toEqual([expect.stringMatching(/^closesAt: /)]);
    }
    expect.assertions(2);
  });
});

describe('the card ids a handler relies on', () => {
  it.each(CARD_NAMES)('%s: every action carries the card name and, where it has one, the occurrence', (name) => {
    const card = renderAdaptiveCard(name, sampleData(name, 'da'), { locale: 'da' }) as AdaptiveCardJson & { actions?: Array<{ verb: string; data: Record<string, unknown> }> };
    for (const action of card.actions ?? []) {
      expect(action.data['card']).toBe(name);
      // The set-up card belongs to no occurrence: it carries the team it sets up.
      if (name === 'team-setup') expect(action.data['team']).toEqual({ tenant: expect.any(String), team: expect.any(String) });
      // The hours card is one person's: it carries whose hours they are, and only they may save.
      else if (name === 'hours') expect(action.data['ref']).toEqual({ programmeId: expect.any(String), userId: expect.any(String) });
      else expect(action.data['ref']).toEqual(expect.objectContaining({ occurrenceId: expect.any(String) }));
    }
  });
});

describe('the card of each kind of activity', () => {
  it('is a card there is a template and a view model for', () => {
    for (const [kind, name] of Object.entries(CARD_OF_KIND)) expect(CARD_NAMES, kind).toContain(name);
  });
});
