import { truncate } from '../adaptive/fit.ts';
import { SLACK_LIMITS } from './block-kit.ts';
import {
  escapeMrkdwn,
  factBlocks,
  inertInMrkdwn,
  isHeading,
  isRichHeading,
  type Json,
  plain,
  type PlainText,
  pushText,
  richTextBlock,
  runsOf,
  runsText,
  type SlackBlock,
  str,
  stripMarkdown,
  textBlock,
  toMrkdwn,
} from './slack-text.ts';

export type { SlackBlock } from './slack-text.ts';

/**
 * Slack's blocks are made from the expanded Adaptive Card, so the three channels show the same
 * card from one template and a programme's own template reaches Slack too. Inputs cannot live
 * in a Slack message the way they do in a card, so every action that takes inputs becomes a
 * button that opens a modal holding the card's inputs (Slack's pattern for forms).
 */

export interface SlackModal {
  type: 'modal';
  callback_id: string;
  title: PlainText;
  submit: PlainText;
  close: PlainText;
  private_metadata: string;
  blocks: SlackBlock[];
}
export interface SlackCard {
  /** The notification and screen-reader text. */
  text: string;
  blocks: SlackBlock[];
  /** The form each input-taking action opens, by the action's verb (its button's action_id is `open:<verb>`). */
  modals: Record<string, SlackModal>;
}

/** The words the converter adds itself, in the reader's language. */
export interface SlackLabels {
  close: string;
  showRest: string;
  more: (count: number) => string;
}

const isInput = (element: Json) => str(element['type']).startsWith('Input.');
const containsInput = (element: Json): boolean =>
  isInput(element) || ((element['items'] as Json[] | undefined) ?? []).some(containsInput) || ((element['columns'] as Json[] | undefined) ?? []).some(containsInput);

/** A body element in reading order; `inForm` when it is an input or sits beside one in its container (a label's help, a group heading). */
type Flat = Json & { inForm?: boolean; topLevel?: boolean };

/**
 * Rows of a title and a value, each a RichTextBlock in a column of its own, read as facts again:
 * a FactSet holding a person's words comes in this form (../adaptive/literal.ts). Its texts are literal.
 */
function factRows(container: Json): Json | undefined {
  const rows = (container['items'] as Json[] | undefined) ?? [];
  const facts: Json[] = [];
  for (const row of rows) {
    const cells = row['type'] === 'ColumnSet' ? ((row['columns'] as Json[] | undefined) ?? []).map((column) => (column['items'] as Json[] | undefined) ?? []) : [];
    const [title, value] = cells.map((items) => (items.length === 1 && items[0]?.['type'] === 'RichTextBlock' ? items[0] : undefined));
    if (cells.length !== 2 || !title || !value) return undefined;
    facts.push({ title: runsText(title), value: runsText(value) });
  }
  return facts.length > 0 ? { type: 'FactSet', facts, literal: true } : undefined;
}

/** Body elements in reading order, containers flattened (a container's separator becomes a divider). */
function flatten(elements: unknown, out: Flat[] = [], inForm = false, topLevel = true): Flat[] {
  if (!Array.isArray(elements)) return out;
  for (const element of elements as Json[]) {
    if (element['isVisible'] === false) continue;
    if (element['separator'] === true && out.length > 0) out.push({ type: 'Separator' });
    const form = inForm || containsInput(element);
    const facts = element['type'] === 'Container' && !form ? factRows(element) : undefined;
    if (facts) out.push({ ...facts, inForm: form, topLevel });
    else if (element['type'] === 'Container') flatten(element['items'], out, form, false);
    else if (element['type'] === 'ColumnSet') for (const column of (element['columns'] as Json[] | undefined) ?? []) flatten(column['items'], out, form, false);
    else out.push({ ...element, inForm: form, topLevel });
  }
  return out;
}

function inputBlock(element: Json): SlackBlock | undefined {
  const id = str(element['id']);
  const label = plain(str(element['label']) || id, SLACK_LIMITS.inputLabel);
  const optional = element['isRequired'] !== true;
  const value = str(element['value']);
  let input: Json;
  switch (element['type']) {
    case 'Input.Text': {
      const max = Math.min(Number(element['maxLength'] ?? SLACK_LIMITS.plainTextInputMax), SLACK_LIMITS.plainTextInputMax);
      input = { type: 'plain_text_input', action_id: id, multiline: element['isMultiline'] === true, max_length: max };
      if (value) input['initial_value'] = truncate(value, max);
      if (str(element['placeholder'])) input['placeholder'] = plain(str(element['placeholder']), SLACK_LIMITS.placeholder);
      break;
    }
    case 'Input.Date':
      input = { type: 'datepicker', action_id: id };
      if (/^\d{4}-\d{2}-\d{2}$/.test(value)) input['initial_date'] = value;
      break;
    case 'Input.Number':
      input = { type: 'number_input', action_id: id, is_decimal_allowed: false };
      if (typeof element['min'] === 'number') input['min_value'] = String(element['min']);
      if (typeof element['max'] === 'number') input['max_value'] = String(element['max']);
      break;
    case 'Input.ChoiceSet': {
      const choices = (element['choices'] as Json[] | undefined) ?? [];
      const options = choices.map((c) => ({ text: plain(str(c['title']), SLACK_LIMITS.optionText), value: truncate(str(c['value']), SLACK_LIMITS.optionValue) }));
      const type = element['isMultiSelect'] === true ? 'checkboxes' : element['style'] === 'expanded' && options.length <= 10 ? 'radio_buttons' : 'static_select';
      input = { type, action_id: id, options: options.slice(0, type === 'static_select' ? 100 : 10) };
      break;
    }
    case 'Input.Toggle':
      input = { type: 'checkboxes', action_id: id, options: [{ text: plain(str(element['title']) || id, SLACK_LIMITS.optionText), value: 'true' }] };
      break;
    default:
      return undefined;
  }
  return { type: 'input', block_id: id, optional, label, element: input };
}

/** Long prose stays in the message, which the modal opens over; the modal keeps short notes (deadline, anonymity). */
const LONG_PROSE = 280;

/**
 * The message shows the card without its form: where the form was, a list of what it asks (and any
 * prefilled answers) when it asks more than one thing. The modal shows the heading, the short notes
 * and the form itself.
 */
function bodyBlocks(card: Json, part: 'message' | 'modal'): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  const elements = flatten(card['body']);
  const inputs = elements.filter(isInput);
  let formListed = false;
  let bodyButtons = 0;
  for (const element of elements) {
    const type = str(element['type']);
    if (part === 'message' && element.inForm) {
      if (!formListed && inputs.length > 1) blocks.push(...formSummary(inputs));
      formListed = true;
      continue;
    }
    if (part === 'modal' && !element.inForm && element.topLevel) {
      const rich = type === 'RichTextBlock';
      const styles = rich ? runsOf(element) : [element];
      const quiet = styles.length > 0 && styles.every((s) => s['isSubtle'] === true && s['size'] === 'small');
      if (quiet || (type !== 'TextBlock' && !rich) || (rich ? runsText(element) : str(element['text'])).length > LONG_PROSE) continue;
    }
    if (type === 'Separator') blocks.push({ type: 'divider' });
    else if (type === 'TextBlock') {
      const block = textBlock(element);
      if (block) pushText(blocks, block);
    } else if (type === 'RichTextBlock') {
      const block = richTextBlock(element);
      if (block) pushText(blocks, block);
    } else if (type === 'FactSet') blocks.push(...factBlocks(element));
    else if (type === 'Image') blocks.push({ type: 'image', image_url: str(element['url']), alt_text: str(element['altText']) || ' ' });
    else if (type === 'ActionSet' && part === 'message') blocks.push(...bodyActions(element, () => ++bodyButtons));
    else if (isInput(element)) {
      const block = inputBlock(element);
      if (block) blocks.push(block);
    }
  }
  return blocks;
}

/**
 * What a form asks, as one list: "• question" (or "1. question"), or "*question*" and the prefilled
 * answer. An answer is the person's words: literal text, as in the card's input (see inertInMrkdwn).
 */
function formSummary(inputs: Json[]): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  const section = (text: Json): SlackBlock => ({ type: 'section', text });
  const mrkdwn = (text: string): Json => ({ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) });
  for (const input of inputs) {
    const label = toMrkdwn(str(input['label']) || str(input['id']));
    const value = str(input['value']);
    // Numbered questions keep their own numbers.
    if (!value) pushText(blocks, section(mrkdwn(/^\d+\./.test(label) ? label : `• ${label}`)));
    else if (inertInMrkdwn(value)) pushText(blocks, section({ ...mrkdwn(`*${label}*\n${escapeMrkdwn(value)}`), verbatim: true }));
    else {
      pushText(blocks, section(mrkdwn(`*${label}*`)));
      pushText(blocks, section({ type: 'plain_text', text: truncate(value, SLACK_LIMITS.sectionText) }));
    }
  }
  return blocks;
}

const hasInputs = (card: Json) => flatten(card['body']).some(isInput);

function button(action: Json, opensForm: boolean): Json {
  const verb = str(action['verb']);
  const element: Json = {
    type: 'button',
    text: plain(str(action['title']) || verb, SLACK_LIMITS.buttonText),
    action_id: opensForm ? `open:${verb}` : verb,
  };
  if (action['type'] === 'Action.OpenUrl') {
    element['url'] = str(action['url']);
    element['action_id'] = `url:${str(action['url']).slice(0, 200)}`;
  } else element['value'] = truncate(JSON.stringify({ verb, ...(action['data'] as Json | undefined) }), SLACK_LIMITS.buttonValue);
  if (action['style'] === 'positive') element['style'] = 'primary';
  if (action['style'] === 'destructive') element['style'] = 'danger';
  return element;
}

/**
 * Buttons in the body, where they stand (the App Home's prompts): each acts on the card its data names,
 * not on this one, so it is `open:<verb>:<n>` (`n` counts them, as action_ids are unique in a message or
 * view): the receiver opens that card's form for the verb in its value, or runs the action when the card has none.
 */
function bodyActions(element: Json, count: () => number): SlackBlock[] {
  const actions = ((element['actions'] as Json[] | undefined) ?? []).filter((a) => a['type'] === 'Action.Execute' || a['type'] === 'Action.OpenUrl');
  const buttons = actions.map((action) => {
    const execute = action['type'] === 'Action.Execute';
    const element = button(action, execute);
    if (execute) element['action_id'] = truncate(`${str(element['action_id'])}:${count()}`, SLACK_LIMITS.actionId);
    return element;
  });
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < buttons.length; i += SLACK_LIMITS.actionsElements) blocks.push({ type: 'actions', elements: buttons.slice(i, i + SLACK_LIMITS.actionsElements) });
  return blocks;
}

function modalFor(card: Json, action: Json, title: string, labels: SlackLabels): SlackModal {
  let blocks = bodyBlocks(card, 'modal');
  if (blocks.length > SLACK_LIMITS.modalBlocks) {
    // The inputs are the form: keep them (up to the limit) and as much of the text as fits, then say what was left out.
    const room = SLACK_LIMITS.modalBlocks - 1;
    const inputs = blocks.filter((b) => b.type === 'input').length;
    let textRoom = Math.max(0, room - inputs);
    let inputRoom = Math.min(inputs, room);
    const kept = blocks.filter((b) => (b.type === 'input' ? inputRoom-- > 0 : textRoom-- > 0));
    blocks = [...kept, { type: 'context', elements: [{ type: 'mrkdwn', text: labels.more(blocks.length - kept.length) }] }];
  }
  return {
    type: 'modal',
    callback_id: str(action['verb']),
    title: plain(title, SLACK_LIMITS.modalTitle),
    submit: plain(str(action['title']), SLACK_LIMITS.modalButton),
    close: plain(labels.close, SLACK_LIMITS.modalButton),
    private_metadata: truncate(JSON.stringify(action['data'] ?? {}), SLACK_LIMITS.privateMetadata),
    blocks,
  };
}

export function toSlack(card: Json, labels: SlackLabels): SlackCard {
  const heading = flatten(card['body']).find((e) => (e['type'] === 'TextBlock' && isHeading(e)) || (e['type'] === 'RichTextBlock' && isRichHeading(e)));
  const headingText = heading?.['type'] === 'RichTextBlock' ? runsText(heading) : stripMarkdown(str(heading?.['text']));
  const title = headingText || stripMarkdown(str(card['fallbackText']));
  const actions = ((card['actions'] as Json[] | undefined) ?? []).filter((a) => a['type'] === 'Action.Execute' || a['type'] === 'Action.Submit' || a['type'] === 'Action.OpenUrl');
  const formNeeded = hasInputs(card);
  const modals: Record<string, SlackModal> = {};
  const buttons = actions.map((action) => {
    const opensForm = formNeeded && action['type'] !== 'Action.OpenUrl' && action['associatedInputs'] !== 'none';
    if (opensForm) modals[str(action['verb'])] = modalFor(card, action, title, labels);
    return button(action, opensForm);
  });

  let blocks = bodyBlocks(card, 'message');
  const actionBlocks: SlackBlock[] = [];
  for (let i = 0; i < buttons.length; i += SLACK_LIMITS.actionsElements) actionBlocks.push({ type: 'actions', elements: buttons.slice(i, i + SLACK_LIMITS.actionsElements) });

  const room = SLACK_LIMITS.messageBlocks - actionBlocks.length;
  if (blocks.length > room) {
    // Too long for one message: show what fits, say how much is left, and offer the rest.
    const kept = room - 2;
    const rest = blocks.length - kept;
    const firstAction = actions.find((a) => a['type'] !== 'Action.OpenUrl');
    const showRest = {
      type: 'button',
      text: plain(labels.showRest, SLACK_LIMITS.buttonText),
      action_id: 'showRest',
      value: JSON.stringify({ verb: 'showRest', offset: kept, ...(firstAction?.['data'] as Json | undefined) }),
    };
    blocks = [...blocks.slice(0, kept), { type: 'context', elements: [{ type: 'mrkdwn', text: labels.more(rest) }] }, { type: 'actions', elements: [showRest] }];
  }
  // A message's `text` is mrkdwn too (it may hold a team's name): escaped, so it links and mentions no one.
  return { text: truncate(escapeMrkdwn(title), SLACK_LIMITS.messageText), blocks: [...blocks, ...actionBlocks], modals };
}
