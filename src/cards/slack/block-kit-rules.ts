// The Block Kit rules behind validateSlackMessage / validateSlackModal (block-kit.ts), written from
// Slack's reference pages under docs.slack.dev/reference/block-kit/. Each check names its page.
// Lengths are JavaScript string lengths (UTF-16 code units): æ, ø, å, ä, ö count 1 each; an emoji
// outside the BMP counts 2, which errs on the safe side if Slack counts it as 1.
// The element rules are here; the limits are in block-kit-limits.ts and the checks they are made of in
// block-kit-checks.ts, both re-exported for block-kit.ts.
import { SLACK_LIMITS } from './block-kit-limits.ts';
import { array, at, boolean, type Checker, integer, isObj, knownKeys, type Obj, object, string, text } from './block-kit-checks.ts';

export { SLACK_LIMITS } from './block-kit-limits.ts';
export { array, at, boolean, Checker, isObj, knownKeys, object, string, type Surface, text } from './block-kit-checks.ts';

const L = SLACK_LIMITS;

// "Option object": text ≤ 75, a unique value ≤ 150, description ≤ 75. Select menus take plain_text
// only; radio buttons and checkboxes may use mrkdwn.
function option(c: Checker, value: unknown, path: string, plainOnly: boolean): void {
  if (!object(c, value, path, 'option')) return;
  knownKeys(c, value, path, 'an option', ['text', 'value', 'description']);
  if (value.text === undefined) c.report(at(path, 'text'), 'option text is required', 'option text is missing; Slack requires it');
  else text(c, value.text, at(path, 'text'), 'option text', L.optionText, plainOnly);
  string(c, value, 'value', path, 'option value', { required: true, min: 1, max: L.optionValue });
  if (value.description !== undefined) text(c, value.description, at(path, 'description'), 'option description', L.optionDescription, plainOnly);
}

/** Stable JSON: "exactly matches" must not depend on key order. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : isObj(v)
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

function options(c: Checker, el: Obj, path: string, type: string, max: number, plainOnly: boolean): void {
  const list = array(c, el, 'options', path, `${type} options`, max) ?? [];
  const seen = new Set<string>();
  list.forEach((o, i) => {
    option(c, o, at(at(path, 'options'), i), plainOnly);
    const v = isObj(o) ? o.value : undefined;
    if (typeof v === 'string' && seen.has(v)) c.report(at(at(at(path, 'options'), i), 'value'), 'option values unique within an element', `option value '${v}' appears twice in this ${type}`);
    if (typeof v === 'string') seen.add(v);
  });
  // "Select menu" / "Radio button group" / "Checkboxes": initial option(s) must exactly match one of the options.
  const known = new Set(list.map(canonical));
  const initials: [unknown, string][] = [];
  if (el.initial_option !== undefined) initials.push([el.initial_option, at(path, 'initial_option')]);
  const many = el.initial_options === undefined ? [] : (array(c, el, 'initial_options', path, `${type} initial_options`, max) ?? []);
  many.forEach((o, i) => initials.push([o, at(at(path, 'initial_options'), i)]));
  for (const [o, p] of initials) {
    option(c, o, p, plainOnly);
    if (!known.has(canonical(o)))
      c.report(p, 'initial option is one of the options', `the initial option${isObj(o) && typeof o.value === 'string' ? ` '${o.value}'` : ''} does not exactly match any of the ${type} options`);
  }
}

/** YYYY-MM-DD naming a day that exists ("Date picker element": initial_date "in the format YYYY-MM-DD"). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return days !== undefined && d >= 1 && d <= days;
}

// "Image element": image_url (≤ 3000) and alt_text, both required. Used in sections and context blocks.
export function imageElement(c: Checker, el: Obj, path: string): void {
  knownKeys(c, el, path, 'an image element', ['type', 'image_url', 'alt_text']);
  string(c, el, 'image_url', path, 'image element image_url', { required: true, min: 1, max: L.imageUrl });
  string(c, el, 'alt_text', path, 'image element alt_text', { required: true, min: 1, max: L.imageAltText });
}

export type Container = 'section' | 'actions' | 'input';

// Which elements each block accepts, from the "Works with block types" notes on the element pages.
const ELEMENTS_IN: Record<Container, readonly string[]> = {
  section: ['button', 'static_select', 'radio_buttons', 'checkboxes', 'datepicker', 'image'],
  actions: ['button', 'static_select', 'radio_buttons', 'checkboxes', 'datepicker'],
  input: ['plain_text_input', 'datepicker', 'number_input', 'static_select', 'radio_buttons', 'checkboxes'],
};
const KNOWN_ELEMENTS = ['button', 'plain_text_input', 'datepicker', 'number_input', 'static_select', 'radio_buttons', 'checkboxes', 'image'];

/** An element in a section (accessory), actions or input block; block is the index of that block. */
export function element(c: Checker, value: unknown, path: string, container: Container, block: number): void {
  if (!object(c, value, path, 'element')) return;
  const type = value.type;
  if (typeof type !== 'string' || !KNOWN_ELEMENTS.includes(type)) {
    c.report(at(path, 'type'), 'known element type', `unknown element type ${JSON.stringify(type)}; the validator knows ${KNOWN_ELEMENTS.join(', ')}`);
    return;
  }
  if (!ELEMENTS_IN[container].includes(type)) {
    c.report(at(path, 'type'), `${type} allowed in ${container} blocks`, `${type} cannot go in ${container} blocks; Slack allows ${ELEMENTS_IN[container].join(', ')} there`);
  }
  if (type === 'image') {
    imageElement(c, value, path);
    return;
  }
  // action_id is optional on Slack's pages; we require it because our handler routes on it.
  const id = string(c, value, 'action_id', path, `${type} action_id`, { required: true, min: 1, max: L.actionId });
  if (id !== undefined) c.actionId(id, at(path, 'action_id'), block);
  const placeholder = (): void => {
    if (value.placeholder !== undefined) text(c, value.placeholder, at(path, 'placeholder'), `${type} placeholder`, L.placeholder, true);
  };
  switch (type) {
    case 'button': // "Button element"
      knownKeys(c, value, path, 'a button', ['type', 'text', 'action_id', 'value', 'url', 'style', 'accessibility_label']);
      if (value.text === undefined) c.report(at(path, 'text'), 'button text is required', 'button text is missing; Slack requires it');
      else text(c, value.text, at(path, 'text'), 'button text', L.buttonText, true);
      string(c, value, 'value', path, 'button value', { max: L.buttonValue });
      string(c, value, 'url', path, 'button url', { max: L.buttonUrl });
      string(c, value, 'accessibility_label', path, 'button accessibility_label', { max: L.accessibilityLabel });
      if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') {
        c.report(at(path, 'style'), 'button style is primary or danger', `button style is ${JSON.stringify(value.style)}; Slack accepts 'primary' or 'danger' (or no style)`);
      }
      return;
    case 'plain_text_input': {
      // "Plain-text input element": min_length 0–3000, max_length 1–3000.
      knownKeys(c, value, path, 'a plain_text_input', ['type', 'action_id', 'placeholder', 'initial_value', 'multiline', 'min_length', 'max_length', 'focus_on_load']);
      placeholder();
      boolean(c, value, 'multiline', path, 'plain_text_input multiline');
      boolean(c, value, 'focus_on_load', path, 'plain_text_input focus_on_load');
      const min = integer(c, value, 'min_length', path, 'plain_text_input min_length', 0, L.plainTextInputMax);
      const max = integer(c, value, 'max_length', path, 'plain_text_input max_length', 1, L.plainTextInputMax);
      if (min !== undefined && max !== undefined && min > max) c.report(at(path, 'min_length'), 'plain_text_input min_length ≤ max_length', `min_length is ${min} but max_length is ${max}`);
      const initial = string(c, value, 'initial_value', path, 'plain_text_input initial_value', { max: L.plainTextInputMax });
      if (initial !== undefined && max !== undefined && initial.length > max) {
        c.report(at(path, 'initial_value'), 'plain_text_input initial_value ≤ max_length', `initial_value is ${initial.length} characters but max_length is ${max}`);
      }
      return;
    }
    case 'datepicker': {
      // "Date picker element": initial_date as YYYY-MM-DD.
      knownKeys(c, value, path, 'a datepicker', ['type', 'action_id', 'placeholder', 'initial_date', 'focus_on_load']);
      placeholder();
      boolean(c, value, 'focus_on_load', path, 'datepicker focus_on_load');
      const date = string(c, value, 'initial_date', path, 'datepicker initial_date');
      if (date !== undefined && !isRealDate(date))
        c.report(at(path, 'initial_date'), 'datepicker initial_date is a real YYYY-MM-DD date', `initial_date '${date}' is not a real date in YYYY-MM-DD form`);
      return;
    }
    case 'number_input': {
      // "Number input element": is_decimal_allowed required; initial/min/max are strings; min ≤ max.
      knownKeys(c, value, path, 'a number_input', ['type', 'action_id', 'is_decimal_allowed', 'placeholder', 'initial_value', 'min_value', 'max_value', 'focus_on_load']);
      placeholder();
      boolean(c, value, 'focus_on_load', path, 'number_input focus_on_load');
      const decimal = boolean(c, value, 'is_decimal_allowed', path, 'number_input is_decimal_allowed', true);
      const shape = decimal === false ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
      const num = (key: string): number | undefined => {
        const s = string(c, value, key, path, `number_input ${key}`);
        if (s === undefined) return undefined;
        if (shape.test(s)) return Number(s);
        const whole = decimal === false;
        c.report(at(path, key), `number_input ${key} is a ${whole ? 'whole number' : 'number'}`, `${key} '${s}' is not a ${whole ? 'whole number (is_decimal_allowed is false)' : 'number'}`);
        return undefined;
      };
      num('initial_value');
      const lo = num('min_value');
      const hi = num('max_value');
      if (lo !== undefined && hi !== undefined && lo > hi) c.report(at(path, 'min_value'), 'number_input min_value ≤ max_value', `min_value ${lo} is greater than max_value ${hi}`);
      return;
    }
    case 'static_select': // "Select menu element", static_select: plain_text options only.
      knownKeys(c, value, path, 'a static_select', ['type', 'action_id', 'placeholder', 'options', 'initial_option', 'focus_on_load']);
      placeholder();
      boolean(c, value, 'focus_on_load', path, 'static_select focus_on_load');
      options(c, value, path, 'static_select', L.staticSelectOptions, true);
      return;
    case 'radio_buttons': // "Radio button group element"
      knownKeys(c, value, path, 'a radio_buttons', ['type', 'action_id', 'options', 'initial_option', 'focus_on_load']);
      boolean(c, value, 'focus_on_load', path, 'radio_buttons focus_on_load');
      options(c, value, path, 'radio_buttons', L.radioOptions, false);
      return;
    case 'checkboxes': // "Checkboxes element"
      knownKeys(c, value, path, 'a checkboxes', ['type', 'action_id', 'options', 'initial_options', 'focus_on_load']);
      boolean(c, value, 'focus_on_load', path, 'checkboxes focus_on_load');
      options(c, value, path, 'checkboxes', L.checkboxOptions, false);
      return;
  }
}
