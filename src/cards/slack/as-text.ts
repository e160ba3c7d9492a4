/**
 * A Slack message and its modals as plain text, for reading a card without Slack (the card
 * gallery, snapshots, a terminal). Headers in capitals, context lines indented and marked as
 * quieter, dividers as "———", buttons as "[ Label ]", inputs as "Label: ____".
 */

type Json = Record<string, unknown>;

export interface SlackTextCard {
  text: string;
  blocks: unknown[];
  modals: Record<string, { title: { text: string }; submit: { text: string }; close?: { text: string }; blocks: unknown[] }>;
}

const DIVIDER = '———';
const BLANK = '____';

const isObj = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObj) : []);

/** A text object's words as a reader sees them: Slack's escapes and emphasis undone, links as "label (url)". */
function words(text: unknown): string {
  if (!isObj(text)) return '';
  let out = str(text['text']);
  if (text['type'] === 'mrkdwn') {
    out = out.replace(/<([^|<>]+)\|([^<>]+)>/g, '$2 ($1)').replace(/<([^|<>]+)>/g, '$1');
    // *bold*, _italic_ and ~struck~ have no plain-text form; their words are what is left.
    out = out.replace(/(^|[\s(“"'])([*_~])(?=\S)([^\n]*?\S)\2(?=$|[\s).,;:!?”"'])/gm, '$1$3');
    out = out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  }
  return out;
}

const endsSentence = (text: string): boolean => /[?:.!]$/.test(text);
const indent = (text: string, prefix: string): string =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');

/**
 * A field "*Title*\nvalue" (plain_text: "Title\nvalue") reads as "Title: value"; a question keeps its
 * mark, with the answer indented below it.
 */
function field(text: unknown): string {
  if (!isObj(text)) return '';
  const match = (text['type'] === 'mrkdwn' ? /^\*([^*\n]+)\*\n([\s\S]*)$/ : /^([^\n]+)\n([\s\S]*)$/).exec(str(text['text']));
  if (!match) return words(text);
  const title = words({ ...text, text: match[1] });
  const value = words({ ...text, text: match[2] });
  return endsSentence(title) ? `${title}\n${indent(value, '  ')}` : `${title}: ${value}`;
}

function button(element: Json): string {
  return `[ ${words(element['text']) || str(element['action_id'])} ]`;
}

function options(element: Json, marks: [string, string]): string[] {
  const chosen = new Set([element['initial_option'], ...list(element['initial_options'])].filter(isObj).map((o) => str(o['value'])));
  return list(element['options']).map((o) => `  ${chosen.has(str(o['value'])) ? marks[1] : marks[0]} ${words(o['text'])}`);
}

function input(block: Json): string {
  const name = words(block['label']) || str(block['block_id']);
  // "Label: ____", but a label that ends a sentence ("Hvad lagde du mærke til?") keeps its own mark.
  const label = endsSentence(name) ? name : `${name}:`;
  const element = isObj(block['element']) ? block['element'] : {};
  switch (element['type']) {
    case 'radio_buttons':
      return [label, ...options(element, ['( )', '(•)'])].join('\n');
    case 'checkboxes':
      return [label, ...options(element, ['[ ]', '[x]'])].join('\n');
    case 'static_select':
    case 'multi_static_select':
      return [`${label} ▾`, ...options(element, ['-', '✓'])].join('\n');
    default: {
      const value = str(element['initial_value']) || str(element['initial_date']) || str(element['initial_time']);
      const hint = words(element['placeholder']);
      return `${label} ${value || BLANK}${!value && hint ? ` (${hint})` : ''}`;
    }
  }
}

function block(value: unknown): string | undefined {
  if (!isObj(value)) return undefined;
  switch (value['type']) {
    case 'header':
      return words(value['text']).toUpperCase();
    case 'section': {
      const parts = [words(value['text']), ...list(value['fields']).map(field)].filter(Boolean);
      if (isObj(value['accessory']) && value['accessory']['type'] === 'button') parts.push(button(value['accessory']));
      return parts.join('\n');
    }
    case 'context':
      return indent(
        list(value['elements'])
          .map((e) => (e['type'] === 'image' ? `[image: ${str(e['alt_text'])}]` : words(e)))
          .filter(Boolean)
          .join(' · '),
        '  › ',
      );
    case 'divider':
      return DIVIDER;
    case 'actions':
      return list(value['elements'])
        .map((e) => (e['type'] === 'button' ? button(e) : `[ ${str(e['type'])} ]`))
        .join('  ');
    case 'input':
      return input(value);
    case 'image':
      return `[image: ${str(value['alt_text'])}]`;
    default:
      return undefined;
  }
}

const blocks = (values: unknown[]): string =>
  values
    .map(block)
    .filter((text): text is string => text !== undefined && text !== '')
    .join('\n');

/** The message, then each modal it opens under a line naming the modal and the button's verb. */
export function slackAsText(card: SlackTextCard): string {
  const parts = [blocks(card.blocks) || card.text];
  for (const [verb, modal] of Object.entries(card.modals)) {
    const buttons = [`[ ${modal.submit.text} ]`, ...(modal.close ? [`[ ${modal.close.text} ]`] : [])].join('  ');
    parts.push([`═══ Modal (${verb}): ${modal.title.text}`, blocks(modal.blocks), buttons].join('\n'));
  }
  return parts.join('\n\n');
}
