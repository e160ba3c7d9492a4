import { describe, expect, it } from 'vitest';
import { textRuns } from '../../../src/cards/adaptive/literal.ts';
import { validateAdaptiveCard } from '../../../src/cards/adaptive/validate.ts';
import { mark, segments } from '../../../src/cards/person-text.ts';
import { renderAdaptiveCard, renderSlackCard } from '../../../src/cards/render.ts';
import { sampleData } from '../../../src/cards/samples.ts';
import { slackAsText } from '../../../src/cards/slack/as-text.ts';
import { validateSlackMessage, validateSlackModal } from '../../../src/cards/slack/block-kit.ts';
import type { SlackCard } from '../../../src/cards/slack/from-adaptive.ts';
import type { CardName } from '../../../src/cards/view-models.ts';

/**
 * "User text is shown as text": whatever a person writes (an answer, a note, a leader's question,
 * a draft, a plan, a name) shows as the words they wrote, never as a link, an image, emphasis or a
 * mention, in Teams and in Slack.
 */

type Json = Record<string, unknown>;

/** What a person might write; each is shown after "ZQX", so the test can find the person's words. */
const WRITTEN = {
  link: '[Klik her](https://evil.example/login)',
  image: '![x](https://evil.example/p.png)',
  channel: '<!channel> se her',
  user: 'hej <@U123ABC>',
  everyone: '@everyone og @here',
  html: '<b>fed</b> & <a href="https://evil.example">klik</a>',
  emphasis: '*fed* _kursiv_ ~streg~ `kode`',
  slackLink: '<https://evil.example|klik>',
  quote: 'linje\n> citat',
  marks: '\uE001[Klik her](https://evil.example/login)\uE000 ud af mærket',
  all: '[Klik her](https://evil.example/login) ![x](https://evil.example/p.png) <!channel> <@U123ABC> @everyone <b>fed</b> *fed* _kursiv_ ~streg~ <https://evil.example|klik>',
};
const TOKEN = 'ZQX';
const shown = (written: string) => `${TOKEN} ${written}`.replace(/[\uE000\uE001]/g, '');

/** Every card that shows a person's words, with `text` wherever it does. */
const CARDS: Array<[string, CardName, (text: string) => unknown]> = [
  [
    'summary: written answers and themes',
    'summary',
    (text) => {
      const sample = sampleData('summary', 'da') as Json & { items: Json[] };
      return { ...sample, themes: [text], items: [{ id: 'fritekst', text: 'Hvad har du brug for?', answers: [text, 'Et almindeligt svar'] }] };
    },
  ],
  ['answered: the reply', 'answered', (text) => ({ ...sampleData('answered', 'da'), answers: [{ label: 'Note', value: text }] })],
  ['answered: a posted agenda', 'answered', (text) => ({ ...sampleData('answered', 'da'), outcome: 'posted', answers: [{ label: 'Spørgsmål', value: `Første\n${text}` }] })],
  [
    'pre-visit-sent: the answers and the guide’s name',
    'pre-visit-sent',
    (text) => {
      const sample = sampleData('pre-visit-sent', 'da') as Json & { answers: Json[] };
      return { ...sample, guideName: text, answers: [{ label: 'Hvem deltager?', value: text }, ...sample.answers.slice(1)] };
    },
  ],
  ['sparring-agenda: the leader’s questions', 'sparring-agenda', (text) => ({ ...sampleData('sparring-agenda', 'da'), leaderQuestions: [text] })],
  ['sparring-agenda: the copy posted to the channel', 'sparring-agenda', (text) => ({ ...sampleData('sparring-agenda', 'da'), leaderQuestions: [text], posted: true })],
  [
    'pre-visit-form: saved answers and the guide’s name',
    'pre-visit-form',
    (text) => {
      const sample = sampleData('pre-visit-form', 'da') as Json & { fields: Json[] };
      return { ...sample, guideName: text, fields: sample.fields.map((f) => (f['kind'] === 'text' || f['kind'] === undefined ? { ...f, value: text } : f)) };
    },
  ],
  [
    'ido-art-draft: the draft sections',
    'ido-art-draft',
    (text) => {
      const sample = sampleData('ido-art-draft', 'da') as Json & { sections: Json[] };
      return { ...sample, sections: sample.sections.map((s) => ({ ...s, value: text })) };
    },
  ],
  [
    'action-plan: the plan’s fields',
    'action-plan',
    (text) => {
      const sample = sampleData('action-plan', 'da') as Json & { fields: Json[] };
      return { ...sample, fields: sample.fields.map((f) => ({ ...f, value: text })) };
    },
  ],
  ['welcome: the team’s name', 'welcome', (text) => ({ ...sampleData('welcome', 'da'), teamName: text })],
];

function walk(value: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (value && typeof value === 'object') {
    visit(value as Json);
    for (const child of Object.values(value)) walk(child, visit);
  }
}

/** The texts Teams reads as Markdown: a TextBlock's, a fact's title and value, a radio or checkbox choice's title. */
function markdownTexts(card: unknown): string[] {
  const out: string[] = [];
  walk(card, (node) => {
    if (node['type'] === 'TextBlock' && typeof node['text'] === 'string') out.push(node['text']);
    if (node['type'] === 'FactSet') for (const fact of (node['facts'] as Json[] | undefined) ?? []) out.push(String(fact['title']), String(fact['value']));
    if (node['type'] === 'Input.ChoiceSet') for (const choice of (node['choices'] as Json[] | undefined) ?? []) out.push(String(choice['title']));
  });
  return out;
}

/** The texts Teams shows as they are: TextRuns, and an input's value and label. */
function literalTexts(card: unknown): string[] {
  const out: string[] = [];
  walk(card, (node) => {
    if (node['type'] === 'TextRun' && typeof node['text'] === 'string') out.push(node['text']);
    if (String(node['type']).startsWith('Input.')) out.push(String(node['value'] ?? ''), String(node['label'] ?? ''));
  });
  return out;
}

/** Every Slack text object of the message and its modals. */
function slackTexts(card: SlackCard): Json[] {
  const out: Json[] = [];
  walk([card.blocks, Object.values(card.modals)], (node) => {
    if ((node['type'] === 'mrkdwn' || node['type'] === 'plain_text') && typeof node['text'] === 'string') out.push(node);
  });
  return out;
}

const slackViolations = (card: SlackCard) => [...validateSlackMessage({ text: card.text, blocks: card.blocks }), ...Object.values(card.modals).flatMap((m) => validateSlackModal(m))];

describe.each(CARDS)('%s', (_label, name, data) => {
  it.each(Object.entries(WRITTEN))('Teams shows %s as text: in a TextRun or an input, never in Markdown', (_kind, written) => {
    const card = renderAdaptiveCard(name, data(`${TOKEN} ${written}`), { locale: 'da' });
    expect(markdownTexts(card).filter((t) => t.includes(TOKEN))).toEqual([]);
    expect(literalTexts(card).some((t) => t.includes(shown(written)))).toBe(true);
    expect(JSON.stringify(card)).not.toMatch(/[\uE000\uE001]/);
    expect(validateAdaptiveCard(card)).toEqual([]);
  });

  it.each(Object.entries(WRITTEN))('Slack shows %s as text: plain_text, or escaped verbatim mrkdwn with nothing that formats', (_kind, written) => {
    const card = renderSlackCard(name, data(`${TOKEN} ${written}`), { locale: 'da' });
    const texts = slackTexts(card).filter((t) => String(t['text']).includes(TOKEN));
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      if (text['type'] === 'plain_text') continue; // Slack formats nothing in plain_text: no link, mention or emphasis
      expect(text['verbatim'], JSON.stringify(text)).toBe(true); // no bare URL, "@channel" or #channel parsed
      for (const line of String(text['text'])
        .split('\n')
        .filter((l) => l.includes(TOKEN))) {
        expect(line.slice(line.indexOf(TOKEN)), JSON.stringify(text)).not.toMatch(/[<>*_~`]|\]\(/);
      }
    }
    // The message's `text` (the notification) is mrkdwn as well: it may hold a name, but never a link or a mention.
    expect(card.text).not.toMatch(/<[!@#]|<https?:/);
    // Still there, as written (a header cuts at 150 characters and reads in capitals).
    expect(slackAsText(card).toLowerCase()).toContain(shown(written).slice(0, 120).toLowerCase());
    expect(JSON.stringify(card)).not.toMatch(/[\uE000\uE001]/);
    expect(slackViolations(card)).toEqual([]);
  });
});

describe('the programme’s own words keep their Markdown', () => {
  it('a TextBlock of the programme is left as it is', () => {
    const card = renderAdaptiveCard('practice-prompt', { ...sampleData('practice-prompt', 'da'), task: 'Læs **guiden** på [siden](https://example.com)' }, { locale: 'da' });
    expect(markdownTexts(card)).toContain('Læs **guiden** på [siden](https://example.com)');
  });

  it('around a person’s words, bold stays bold and a list’s dash becomes a bullet', () => {
    const runs = textRuns(`- **Tema:** ${mark('*ikke fed*')}\nog mere`, { isSubtle: true });
    expect(runs).toEqual([
      { type: 'TextRun', text: '• ', isSubtle: true },
      { type: 'TextRun', text: 'Tema:', isSubtle: true, weight: 'bolder' },
      { type: 'TextRun', text: ' *ikke fed*\nog mere', isSubtle: true },
    ]);
  });

  it('a heading keeps its role while the person’s words in it are plain words', () => {
    const plainName = renderAdaptiveCard('welcome', { ...sampleData('welcome', 'da'), teamName: 'Team Øst & Vest (2026)' }, { locale: 'da' });
    expect(plainName.body[0]).toEqual(expect.objectContaining({ type: 'TextBlock', style: 'heading', text: 'Velkommen, Team Øst & Vest (2026)!' }));
    for (const teamName of ['Team *Øst*', '- Øst', '1. Øst', 'Øst_Vest', '[Øst](https://evil.example)', 'Øst <b>']) {
      const card = renderAdaptiveCard('welcome', { ...sampleData('welcome', 'da'), teamName }, { locale: 'da' });
      expect(card.body[0], teamName).toEqual(expect.objectContaining({ type: 'RichTextBlock' }));
    }
  });

  it('a programme’s own template that shows an answer in a TextBlock shows it as text', () => {
    const template = {
      type: 'AdaptiveCard',
      version: '1.5',
      // An adaptivecards-templating expression, not a JavaScript template.
      body: [{ type: 'TextBlock', text: ['**Dit svar:** $', '{answers[0].value}'].join(''), wrap: true }],
    };
    const data = { ...sampleData('answered', 'da'), answers: [{ label: 'Note', value: '[Klik her](https://evil.example/login)' }] };
    const card = renderAdaptiveCard('answered', data, { locale: 'da', template });
    expect(card.body).toEqual([
      {
        type: 'RichTextBlock',
        inlines: [
          { type: 'TextRun', text: 'Dit svar:', weight: 'bolder' },
          { type: 'TextRun', text: ' [Klik her](https://evil.example/login)' },
        ],
      },
    ]);
    expect(validateAdaptiveCard(card)).toEqual([]);
  });
});

describe('marks', () => {
  it('a person cannot close or open their own mark', () => {
    expect(mark('a\uE001**b**\uE000c')).toBe('\uE000a**b**c\uE001');
    expect(mark('')).toBe('');
  });

  it('a close without an open makes everything before it literal', () => {
    expect(segments('x **y**\uE001 z')).toEqual([
      { text: 'x **y**', person: true },
      { text: ' z', person: false },
    ]);
  });
});
