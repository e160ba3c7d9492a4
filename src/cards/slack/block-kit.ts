// Validates Slack Block Kit payloads before they are posted, so the product never sends one Slack
// would reject. The rules come from Slack's reference (docs.slack.dev/reference/block-kit/…); each
// check names its page. Covers the blocks and elements the renderer emits; anything else is reported
// as unknown. Element rules live in block-kit-rules.ts, the checks of values and text objects in block-kit-checks.ts.
import { array, at, boolean, Checker, element, imageElement, isObj, knownKeys, object, SLACK_LIMITS, string, text, type Surface } from './block-kit-rules.ts';

export { SLACK_LIMITS } from './block-kit-rules.ts';

export interface BlockKitViolation {
  /** JSON path into the payload, e.g. "blocks[3].text.text"; "" is the payload itself. */
  path: string;
  /** The rule broken, with its limit, e.g. "section text ≤ 3000 characters" or "blocks per message ≤ 50". */
  rule: string;
  /** Short English sentence for a developer, naming the limit and the actual value. */
  message: string;
}

const L = SLACK_LIMITS;
const BLOCK_TYPES = ['header', 'section', 'divider', 'context', 'actions', 'input', 'image'];

function block(c: Checker, value: unknown, i: number): void {
  const path = `blocks[${i}]`;
  if (!object(c, value, path, 'block')) return;
  const type = value.type;
  if (typeof type !== 'string' || !BLOCK_TYPES.includes(type)) {
    c.report(at(path, 'type'), 'known block type', `unknown block type ${typeof type === 'string' ? `'${type}'` : JSON.stringify(type)}; the validator knows ${BLOCK_TYPES.join(', ')}`);
    return;
  }
  // Every block page: block_id at most 255 characters, unique in the message or view.
  const id = string(c, value, 'block_id', path, 'block_id', { max: L.blockId });
  if (id !== undefined) c.blockId(id, at(path, 'block_id'));
  const keys = (...more: string[]) => knownKeys(c, value, path, `a ${type} block`, ['type', 'block_id', ...more]);
  const required = (key: string, what: string): boolean => {
    if (value[key] !== undefined) return true;
    c.report(at(path, key), `${what} is required`, `${what} is missing; Slack requires it`);
    return false;
  };
  switch (type) {
    case 'header': // "Header block": plain_text, ≤ 150 characters.
      keys('text');
      if (required('text', 'header text')) text(c, value.text, at(path, 'text'), 'header text', L.headerText, true);
      return;
    case 'divider': // "Divider block": nothing but type and block_id.
      keys();
      return;
    case 'section': {
      // "Section block": text ≤ 3000 and/or up to 10 fields of ≤ 2000; one of the two is required.
      keys('text', 'fields', 'accessory', 'expand');
      if (value.text !== undefined) text(c, value.text, at(path, 'text'), 'section text', L.sectionText, false);
      const fields = array(c, value, 'fields', path, 'section fields', L.sectionFields, false);
      fields?.forEach((f, j) => text(c, f, at(at(path, 'fields'), j), 'section field text', L.fieldText, false));
      if (value.text === undefined && !fields?.length) c.report(path, 'section has text or fields', 'the section has neither text nor fields; Slack requires one of them');
      if (value.accessory !== undefined) element(c, value.accessory, at(path, 'accessory'), 'section', i);
      boolean(c, value, 'expand', path, 'section expand');
      return;
    }
    case 'context': {
      // "Context block": up to 10 image elements and text objects.
      keys('elements');
      const elements = array(c, value, 'elements', path, 'context elements', L.contextElements) ?? [];
      elements.forEach((e, j) => {
        const p = at(at(path, 'elements'), j);
        if (isObj(e) && e.type === 'image') imageElement(c, e, p);
        else text(c, e, p, 'context text', L.contextText, false, 'our renderer (SLACK_LIMITS.contextText)');
      });
      return;
    }
    case 'actions': {
      // "Actions block": up to 25 interactive elements.
      keys('elements');
      const elements = array(c, value, 'elements', path, 'actions elements', L.actionsElements) ?? [];
      elements.forEach((e, j) => element(c, e, at(at(path, 'elements'), j), 'actions', i));
      return;
    }
    case 'input': // "Input block": plain_text label and hint ≤ 2000; one element.
      keys('label', 'element', 'hint', 'optional', 'dispatch_action');
      if (required('label', 'input label')) text(c, value.label, at(path, 'label'), 'input label', L.inputLabel, true);
      if (required('element', 'input element')) element(c, value.element, at(path, 'element'), 'input', i);
      if (value.hint !== undefined) text(c, value.hint, at(path, 'hint'), 'input hint', L.inputHint, true);
      boolean(c, value, 'optional', path, 'input optional');
      boolean(c, value, 'dispatch_action', path, 'input dispatch_action');
      return;
    case 'image': // "Image block": image_url ≤ 3000, alt_text ≤ 2000, plain_text title ≤ 2000.
      keys('image_url', 'alt_text', 'title');
      string(c, value, 'image_url', path, 'image block image_url', { required: true, min: 1, max: L.imageUrl });
      string(c, value, 'alt_text', path, 'image block alt_text', { required: true, min: 1, max: L.imageAltText });
      if (value.title !== undefined) text(c, value.title, at(path, 'title'), 'image title', L.imageTitle, true);
      return;
  }
}

function blocks(c: Checker, list: unknown[], surface: Surface): void {
  const max = surface === 'message' ? L.messageBlocks : L.modalBlocks;
  if (list.length > max) c.report('blocks', `blocks per ${surface} ≤ ${max}`, `the ${surface} has ${list.length} blocks; Slack allows ${max}`);
  list.forEach((b, i) => block(c, b, i));
}

// chat.postMessage / chat.update arguments that may travel with the payload; anything else at the top
// level is silently ignored by Slack (a typo such as `block` would lose the blocks), so it is reported.
const MESSAGE_KEYS = [
  'text',
  'blocks',
  'channel',
  'ts',
  'thread_ts',
  'reply_broadcast',
  'mrkdwn',
  'unfurl_links',
  'unfurl_media',
  'metadata',
  'username',
  'icon_emoji',
  'icon_url',
  'link_names',
  'parse',
];

/** Checks a chat.postMessage / chat.update payload ({ text?, blocks? }); [] when Slack would accept it. */
export function validateSlackMessage(payload: unknown): BlockKitViolation[] {
  const c = new Checker('message');
  if (!object(c, payload, '', 'message payload')) return c.violations;
  knownKeys(c, payload, '', 'the message payload', MESSAGE_KEYS);
  // chat.postMessage: text is truncated beyond 40,000 characters.
  const fallback = string(c, payload, 'text', '', 'message text', { max: L.messageText });
  const list = array(c, payload, 'blocks', '', 'message blocks', Number.POSITIVE_INFINITY, false);
  if (list) blocks(c, list, 'message');
  // chat.postMessage: one of text, blocks (or attachments) is required.
  if (!fallback && !list?.length) c.report('', 'message has text or blocks', 'the message has neither text nor blocks; chat.postMessage needs one of them');
  return c.violations;
}

/** Checks a views.open / views.update / views.push modal view; [] when Slack would accept it. */
export function validateSlackModal(view: unknown): BlockKitViolation[] {
  const c = new Checker('modal');
  if (!object(c, view, '', 'modal view')) return c.violations;
  // "Modal views": the fields of a modal view object.
  knownKeys(c, view, '', 'the modal view', ['type', 'title', 'blocks', 'close', 'submit', 'private_metadata', 'callback_id', 'clear_on_close', 'notify_on_close', 'external_id', 'submit_disabled']);
  if (view.type !== 'modal') c.report('type', "view type is 'modal'", `view type is ${JSON.stringify(view.type)}; a modal needs type 'modal'`);
  if (view.title === undefined) c.report('title', 'modal title is required', 'modal title is missing; Slack requires it');
  else text(c, view.title, 'title', 'modal title', L.modalTitle, true);
  if (view.submit !== undefined) text(c, view.submit, 'submit', 'modal submit button', L.modalButton, true);
  if (view.close !== undefined) text(c, view.close, 'close', 'modal close button', L.modalButton, true);
  string(c, view, 'private_metadata', '', 'private_metadata', { max: L.privateMetadata });
  string(c, view, 'callback_id', '', 'callback_id', { max: L.callbackId });
  string(c, view, 'external_id', '', 'external_id');
  for (const flag of ['clear_on_close', 'notify_on_close', 'submit_disabled']) boolean(c, view, flag, '', flag);
  const list = array(c, view, 'blocks', '', 'modal blocks', Number.POSITIVE_INFINITY) ?? [];
  blocks(c, list, 'modal');
  // "Modal views": submit is required when an input block is within the blocks array.
  const input = list.findIndex((b) => isObj(b) && b.type === 'input');
  if (input >= 0 && view.submit === undefined) {
    c.report('submit', 'modal with an input block has submit', `the modal has an input block at blocks[${input}] but no submit button; Slack requires submit then`);
  }
  return c.violations;
}
