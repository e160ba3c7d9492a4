import { describe, expect, it } from 'vitest';
import { renderSlackCard } from '../../../src/cards/render.ts';
import { sampleData } from '../../../src/cards/samples.ts';
import { slackAsText } from '../../../src/cards/slack/as-text.ts';
import { CARD_NAMES } from '../../../src/cards/view-models.ts';
import { LOCALES } from '../../../src/domain/programme/schema.ts';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

describe('slackAsText', () => {
  it('shows a Danish practice prompt: header in capitals, its task, its buttons and the modal with its input', () => {
    const card = renderSlackCard('practice-prompt', sampleData('practice-prompt', 'da'), { locale: 'da' });
    const text = slackAsText(card);
    const header = card.blocks.find((b) => b.type === 'header') as { text: { text: string } } | undefined;
    expect(header).toBeDefined();
    expect(text.split('\n')).toContain(header!.text.text.toUpperCase());
    expect(text).toContain('[ Udført ]');
    expect(text).toContain('[ Spring over i dag ]');
    expect(text).toMatch(/═══ Modal \(done\): /);
    expect(text).toMatch(/^Note \(valgfri\): ____/m);
    expect(text).not.toMatch(/&amp;|&lt;|&gt;/);
  });

  it('lists a modal’s radio options under their label', () => {
    const card = renderSlackCard('questionnaire', sampleData('questionnaire', 'sv'), { locale: 'sv' });
    const text = slackAsText(card);
    expect(text).toContain('[ Skicka enkäten ]');
    expect(text).toMatch(/^ {2}\( \) 1$/m);
    expect(text).toMatch(/^ {2}\( \) 5$/m);
  });

  it('renders each kind of block in a readable form', () => {
    const text = slackAsText({
      text: 'fallback',
      blocks: [
        { type: 'context', elements: [mrkdwn('Forløb &amp; team')] },
        { type: 'header', text: plain('Sparring i morgen') },
        { type: 'section', text: mrkdwn('*Hvad lærte I?* Se <https://example.com|guiden> &lt;nu&gt; 2*3*4') },
        { type: 'section', fields: [mrkdwn('*Gruppe*\nTeam Øst'), mrkdwn('*Sted*\nLokale Å'), mrkdwn('*Hvem kommer?*\nAnne og Bo')] },
        { type: 'divider' },
        {
          type: 'actions',
          elements: [
            { type: 'button', text: plain('Jeg deltager'), action_id: 'yes' },
            { type: 'button', text: plain('Nej'), action_id: 'no' },
          ],
        },
      ],
      modals: {
        rsvp: {
          title: plain('Tilmelding'),
          submit: plain('Send'),
          blocks: [
            { type: 'input', label: plain('Navn'), element: { type: 'plain_text_input', action_id: 'name', initial_value: 'Anne' } },
            { type: 'input', label: plain('Dato'), element: { type: 'datepicker', action_id: 'date' } },
            {
              type: 'input',
              label: plain('Kommer du?'),
              element: {
                type: 'radio_buttons',
                action_id: 'come',
                options: [
                  { text: plain('Ja'), value: 'y' },
                  { text: plain('Nej'), value: 'n' },
                ],
                initial_option: { text: plain('Nej'), value: 'n' },
              },
            },
          ],
        },
      },
    });
    expect(text).toBe(
      [
        '  › Forløb & team',
        'SPARRING I MORGEN',
        'Hvad lærte I? Se guiden (https://example.com) <nu> 2*3*4',
        'Gruppe: Team Øst',
        'Sted: Lokale Å',
        'Hvem kommer?',
        '  Anne og Bo',
        '———',
        '[ Jeg deltager ]  [ Nej ]',
        '',
        '═══ Modal (rsvp): Tilmelding',
        'Navn: Anne',
        'Dato: ____',
        'Kommer du?',
        '  ( ) Ja',
        '  (•) Nej',
        '[ Send ]',
      ].join('\n'),
    );
  });

  it('gives every card in every locale some text, with no block left out silently', () => {
    for (const name of CARD_NAMES) {
      for (const locale of LOCALES) {
        const card = renderSlackCard(name, sampleData(name, locale), { locale });
        const text = slackAsText(card);
        expect(text.length, `${name} ${locale}`).toBeGreaterThan(0);
        expect(text, `${name} ${locale}`).not.toContain('undefined');
        expect(text.split('\n\n═══ Modal').length - 1, `${name} ${locale}`).toBe(Object.keys(card.modals).length);
      }
    }
  });
});
