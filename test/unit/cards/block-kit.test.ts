import { describe, expect, it } from 'vitest';
import { SLACK_LIMITS, validateSlackMessage, validateSlackModal, type BlockKitViolation } from '../../../src/cards/slack/block-kit.ts';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string, extra: object = {}) => ({ type: 'section', text: mrkdwn(text), ...extra });
const button = (label: string, action_id: string, extra: object = {}) => ({ type: 'button', text: plain(label), action_id, ...extra });
const option = (label: string, value: string) => ({ text: plain(label), value });
const options = (n: number) => Array.from({ length: n }, (_, i) => option(`Valg ${i + 1}`, `v${i + 1}`));
const input = (label: string, element: object, extra: object = {}) => ({ type: 'input', label: plain(label), element, ...extra });

/** The sparring reminder the renderer posts: header, Danish section, fields, context, two buttons. */
function reminder() {
  return {
    text: 'Sparring i morgen: Hvad lærte I af det?',
    blocks: [
      { type: 'header', block_id: 'header', text: plain('Sparring i morgen kl. 9:00') },
      section('*Hvad lærte I af det?* Tag én konkret situation med fra ugen, der gik.', { block_id: 'question' }),
      { type: 'section', block_id: 'details', fields: [mrkdwn('*Gruppe*\nTeam Øst'), mrkdwn('*Sted*\nMødelokale Å'), plain('Varighed: 45 min')] },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'image', image_url: 'https://example.com/logo.png', alt_text: 'Sparringsbot' }, mrkdwn('Forløb: Ny leder · uge 3 af 8')] },
      {
        type: 'actions',
        block_id: 'answer',
        elements: [button('Jeg deltager', 'rsvp_yes', { style: 'primary', value: 'session-42' }), button('Jeg kan ikke', 'rsvp_no', { value: 'session-42' })],
      },
    ],
  };
}

/** A reflection modal with one input of every element type the renderer emits. */
function reflectionModal() {
  return {
    type: 'modal',
    callback_id: 'reflection',
    private_metadata: JSON.stringify({ session: 42 }),
    title: plain('Refleksion'),
    submit: plain('Gem'),
    close: plain('Annullér'),
    blocks: [
      section('Skriv et par linjer om mødet. Dine svar deles kun med din gruppe.'),
      input(
        'Hvad lærte I af det?',
        { type: 'plain_text_input', action_id: 'learned', multiline: true, max_length: 1000, placeholder: plain('Fx en ny måde at stille spørgsmål på') },
        { block_id: 'learned', hint: plain('Højst 1000 tegn') },
      ),
      input('Næste møde', { type: 'datepicker', action_id: 'next_date', initial_date: '2026-03-12', placeholder: plain('Vælg dato') }, { block_id: 'next' }),
      input('Antal deltagere', { type: 'number_input', action_id: 'attendees', is_decimal_allowed: false, initial_value: '5', min_value: '1', max_value: '12' }, { block_id: 'count' }),
      input('Fokusområde', { type: 'static_select', action_id: 'focus', placeholder: plain('Vælg et område'), options: options(4), initial_option: option('Valg 2', 'v2') }, { block_id: 'focus' }),
      input(
        'Hvordan gik det?',
        { type: 'radio_buttons', action_id: 'mood', options: [{ text: mrkdwn('*Godt*'), value: 'good' }, option('Blandet', 'mixed')], initial_option: option('Blandet', 'mixed') },
        { block_id: 'mood' },
      ),
      input('Hvad brugte I?', { type: 'checkboxes', action_id: 'tools', options: options(3), initial_options: [option('Valg 1', 'v1')] }, { block_id: 'tools', optional: true }),
    ],
  };
}

const rules = (violations: BlockKitViolation[]) => violations.map((v) => v.rule);

describe('validateSlackMessage', () => {
  it('accepts the realistic reminder message, Danish text and all', () => {
    expect(validateSlackMessage(reminder())).toEqual([]);
  });

  it('accepts a text-only message', () => {
    expect(validateSlackMessage({ text: 'Husk sparring i morgen' })).toEqual([]);
  });

  it('rejects 51 blocks and accepts 50', () => {
    const fifty = Array.from({ length: SLACK_LIMITS.messageBlocks }, () => ({ type: 'divider' }));
    expect(validateSlackMessage({ text: 'x', blocks: fifty })).toEqual([]);
    const violations = validateSlackMessage({ text: 'x', blocks: [...fifty, { type: 'divider' }] });
    expect(violations).toEqual([{ path: 'blocks', rule: 'blocks per message ≤ 50', message: 'the message has 51 blocks; Slack allows 50' }]);
  });

  it('rejects section text of 3001 characters, accepts exactly 3000', () => {
    expect(validateSlackMessage({ blocks: [section('a'.repeat(3000))] })).toEqual([]);
    const [v, ...rest] = validateSlackMessage({ blocks: [section('a'.repeat(3001))] });
    expect(rest).toEqual([]);
    expect(v).toEqual({ path: 'blocks[0].text.text', rule: 'section text ≤ 3000 characters', message: 'section text is 3001 characters; Slack allows 3000' });
  });

  it('counts æ, ø, å, ä, ö as one character each', () => {
    const nordic = 'æøåäö'.repeat(600); // 3000 letters
    expect(nordic).toHaveLength(3000);
    expect(validateSlackMessage({ blocks: [section(nordic)] })).toEqual([]);
    expect(validateSlackMessage({ blocks: [section(`${nordic}å`)] })[0]?.message).toContain('3001 characters');
  });

  it('rejects 11 fields in a section', () => {
    const fields = Array.from({ length: 11 }, (_, i) => mrkdwn(`Felt ${i}`));
    const violations = validateSlackMessage({ blocks: [{ type: 'section', fields }] });
    expect(violations).toEqual([{ path: 'blocks[0].fields', rule: 'section fields ≤ 10', message: 'there are 11 section fields; Slack allows 10' }]);
  });

  it('rejects a field over 2000 characters', () => {
    const violations = validateSlackMessage({ blocks: [{ type: 'section', fields: [mrkdwn('ok'), mrkdwn('x'.repeat(2001))] }] });
    expect(violations.map((v) => [v.path, v.rule])).toEqual([['blocks[0].fields[1].text', 'section field text ≤ 2000 characters']]);
  });

  it('rejects a context block with 11 elements', () => {
    const elements = Array.from({ length: 11 }, (_, i) => plain(`punkt ${i}`));
    const violations = validateSlackMessage({ blocks: [{ type: 'context', elements }] });
    expect(violations).toEqual([{ path: 'blocks[0].elements', rule: 'context elements ≤ 10', message: 'there are 11 context elements; Slack allows 10' }]);
  });

  it("holds context text to the renderer's 2000, and says the limit is ours, not Slack's", () => {
    expect(validateSlackMessage({ blocks: [{ type: 'context', elements: [mrkdwn('c'.repeat(2000))] }] })).toEqual([]);
    expect(validateSlackMessage({ blocks: [{ type: 'context', elements: [mrkdwn('c'.repeat(2001))] }] })).toEqual([
      { path: 'blocks[0].elements[0].text', rule: 'context text ≤ 2000 characters', message: 'context text is 2001 characters; our renderer (SLACK_LIMITS.contextText) allows 2000' },
    ]);
  });

  it('rejects a header of 151 characters, accepts 150', () => {
    expect(validateSlackMessage({ blocks: [{ type: 'header', text: plain('h'.repeat(150)) }] })).toEqual([]);
    const violations = validateSlackMessage({ blocks: [{ type: 'header', text: plain('h'.repeat(151)) }] });
    expect(violations).toEqual([{ path: 'blocks[0].text.text', rule: 'header text ≤ 150 characters', message: 'header text is 151 characters; Slack allows 150' }]);
  });

  it('rejects mrkdwn in a header', () => {
    const violations = validateSlackMessage({ blocks: [{ type: 'header', text: mrkdwn('*Sparring*') }] });
    expect(violations).toEqual([{ path: 'blocks[0].text.type', rule: 'header text must be plain_text', message: 'header text is mrkdwn; Slack accepts only plain_text here' }]);
  });

  it('rejects button text of 76 characters', () => {
    const violations = validateSlackMessage({ blocks: [{ type: 'actions', elements: [button('b'.repeat(76), 'go')] }] });
    expect(violations).toEqual([{ path: 'blocks[0].elements[0].text.text', rule: 'button text ≤ 75 characters', message: 'button text is 76 characters; Slack allows 75' }]);
  });

  it('rejects an action_id of 256 characters', () => {
    const violations = validateSlackMessage({ blocks: [{ type: 'actions', elements: [button('OK', 'a'.repeat(256))] }] });
    expect(violations).toEqual([{ path: 'blocks[0].elements[0].action_id', rule: 'button action_id ≤ 255 characters', message: 'button action_id is 256 characters; Slack allows 255' }]);
  });

  it('rejects a block_id used twice', () => {
    const violations = validateSlackMessage({ blocks: [section('a', { block_id: 'q' }), section('b', { block_id: 'q' })] });
    expect(violations).toEqual([{ path: 'blocks[1].block_id', rule: 'block_id unique within the message', message: "block_id 'q' is used again; first used at blocks[0].block_id" }]);
  });

  it('rejects an action_id repeated in one block (Slack) and across blocks (our routing)', () => {
    const sameBlock = validateSlackMessage({ blocks: [{ type: 'actions', elements: [button('Ja', 'rsvp'), button('Nej', 'rsvp')] }] });
    expect(sameBlock).toEqual([
      { path: 'blocks[0].elements[1].action_id', rule: 'action_id unique within a block', message: "action_id 'rsvp' is used twice in blocks[0]; first used at blocks[0].elements[0].action_id" },
    ]);
    const acrossBlocks = validateSlackMessage({ blocks: [section('a', { accessory: button('Ja', 'rsvp') }), { type: 'actions', elements: [button('Nej', 'rsvp')] }] });
    expect(acrossBlocks).toHaveLength(1);
    expect(acrossBlocks[0]?.path).toBe('blocks[1].elements[0].action_id');
    expect(acrossBlocks[0]?.rule).toBe('action_id unique within the message (our handler routes on it)');
  });

  it('rejects an unknown block type', () => {
    const violations = validateSlackMessage({ text: 'x', blocks: [section('ok'), { type: 'carousel', cards: [] }] });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ path: 'blocks[1].type', rule: 'known block type' });
    expect(violations[0]?.message).toContain("unknown block type 'carousel'");
  });

  it('rejects an unknown property on a block and on an element', () => {
    const violations = validateSlackMessage({ blocks: [section('a', { colour: 'red' }), { type: 'actions', elements: [button('OK', 'ok', { tooltip: 'x' })] }] });
    expect(violations.map((v) => [v.path, v.rule])).toEqual([
      ['blocks[0].colour', 'no unknown properties on a section block'],
      ['blocks[1].elements[0].tooltip', 'no unknown properties on a button'],
    ]);
    expect(violations[0]?.message).toBe("a section block has unknown property 'colour'; Slack rejects it");
  });

  it('rejects a section with neither text nor fields, and empty text', () => {
    expect(rules(validateSlackMessage({ blocks: [{ type: 'section' }] }))).toEqual(['section has text or fields']);
    expect(validateSlackMessage({ blocks: [section('')] })).toEqual([
      { path: 'blocks[0].text.text', rule: 'section text ≥ 1 character', message: 'section text is empty; Slack needs at least 1 character' },
    ]);
  });

  it('rejects fallback text over 40,000 characters and a payload with neither text nor blocks', () => {
    expect(validateSlackMessage({ text: 't'.repeat(40_000) })).toEqual([]);
    expect(validateSlackMessage({ text: 't'.repeat(40_001) })).toEqual([{ path: 'text', rule: 'message text ≤ 40000 characters', message: 'message text is 40001 characters; Slack allows 40000' }]);
    expect(rules(validateSlackMessage({}))).toEqual(['message has text or blocks']);
    expect(rules(validateSlackMessage({ text: '', blocks: [] }))).toEqual(['message has text or blocks']);
  });

  it('catches a misspelt top-level key that Slack would silently ignore', () => {
    expect(validateSlackMessage({ text: 'x', channel: 'C123', block: [section('a')] }).map((v) => v.path)).toEqual(['block']);
  });

  it('rejects an element the block does not allow', () => {
    const violations = validateSlackMessage({ blocks: [{ type: 'actions', elements: [{ type: 'plain_text_input', action_id: 'free' }] }] });
    expect(rules(violations)).toEqual(['plain_text_input allowed in actions blocks']);
  });

  it('returns every problem in one pass', () => {
    const payload = reminder();
    payload.blocks[0] = { type: 'header', block_id: 'header', text: mrkdwn('h'.repeat(151)) } as never;
    payload.blocks.push({ type: 'poll' } as never, section('x'.repeat(3001), { block_id: 'question' }) as never);
    const violations = validateSlackMessage(payload);
    expect(violations.map((v) => [v.path, v.rule])).toEqual([
      ['blocks[0].text.type', 'header text must be plain_text'],
      ['blocks[0].text.text', 'header text ≤ 150 characters'],
      ['blocks[6].type', 'known block type'],
      ['blocks[7].block_id', 'block_id unique within the message'],
      ['blocks[7].text.text', 'section text ≤ 3000 characters'],
    ]);
  });

  it('reports a non-object payload instead of throwing', () => {
    expect(rules(validateSlackMessage(null))).toEqual(['message payload is an object']);
    expect(rules(validateSlackMessage({ blocks: [42] }))).toEqual(['block is an object']);
  });
});

describe('validateSlackModal', () => {
  it('accepts the reflection modal with every input element type', () => {
    expect(validateSlackModal(reflectionModal())).toEqual([]);
  });

  it('rejects a title of 25 characters, accepts 24', () => {
    expect(validateSlackModal({ ...reflectionModal(), title: plain('t'.repeat(24)) })).toEqual([]);
    expect(validateSlackModal({ ...reflectionModal(), title: plain('t'.repeat(25)) })).toEqual([
      { path: 'title.text', rule: 'modal title ≤ 24 characters', message: 'modal title is 25 characters; Slack allows 24' },
    ]);
  });

  it('rejects a modal with an input block and no submit', () => {
    const { submit: _, ...noSubmit } = reflectionModal();
    expect(validateSlackModal(noSubmit)).toEqual([
      { path: 'submit', rule: 'modal with an input block has submit', message: 'the modal has an input block at blocks[1] but no submit button; Slack requires submit then' },
    ]);
    expect(validateSlackModal({ type: 'modal', title: plain('Info'), blocks: [section('Kun tekst')] })).toEqual([]);
  });

  it('rejects 101 blocks and accepts 100', () => {
    const blocks = (n: number) => Array.from({ length: n }, (_, i) => section(`Punkt ${i}`));
    expect(validateSlackModal({ type: 'modal', title: plain('Liste'), blocks: blocks(100) })).toEqual([]);
    expect(validateSlackModal({ type: 'modal', title: plain('Liste'), blocks: blocks(101) })).toEqual([
      { path: 'blocks', rule: 'blocks per modal ≤ 100', message: 'the modal has 101 blocks; Slack allows 100' },
    ]);
  });

  it('rejects radio_buttons with 11 options', () => {
    const modal = reflectionModal();
    modal.blocks[5] = input('Hvordan gik det?', { type: 'radio_buttons', action_id: 'mood', options: options(11) }) as never;
    expect(validateSlackModal(modal)).toEqual([{ path: 'blocks[5].element.options', rule: 'radio_buttons options ≤ 10', message: 'there are 11 radio_buttons options; Slack allows 10' }]);
  });

  it('rejects a plain_text_input initial_value longer than its max_length', () => {
    const modal = reflectionModal();
    modal.blocks[1] = input('Hvad lærte I af det?', { type: 'plain_text_input', action_id: 'learned', max_length: 10, initial_value: 'Vi lærte at lytte' }) as never;
    expect(validateSlackModal(modal)).toEqual([
      { path: 'blocks[1].element.initial_value', rule: 'plain_text_input initial_value ≤ max_length', message: 'initial_value is 17 characters but max_length is 10' },
    ]);
  });

  it('rejects a plain_text_input max_length over 3000', () => {
    const modal = reflectionModal();
    modal.blocks[1] = input('Noter', { type: 'plain_text_input', action_id: 'learned', max_length: 5000 }) as never;
    expect(rules(validateSlackModal(modal))).toEqual(['plain_text_input max_length is an integer 1–3000']);
  });

  it('rejects a datepicker initial_date that is not a real date', () => {
    const modal = reflectionModal();
    for (const date of ['2026-02-30', '2026-13-01', '12-03-2026', '2026-3-12']) {
      modal.blocks[2] = input('Næste møde', { type: 'datepicker', action_id: 'next_date', initial_date: date }) as never;
      expect(validateSlackModal(modal), date).toEqual([
        { path: 'blocks[2].element.initial_date', rule: 'datepicker initial_date is a real YYYY-MM-DD date', message: `initial_date '${date}' is not a real date in YYYY-MM-DD form` },
      ]);
    }
    modal.blocks[2] = input('Næste møde', { type: 'datepicker', action_id: 'next_date', initial_date: '2028-02-29' }) as never;
    expect(validateSlackModal(modal)).toEqual([]);
  });

  it('rejects a number_input without is_decimal_allowed, or with a decimal when decimals are off', () => {
    const modal = reflectionModal();
    modal.blocks[3] = input('Antal', { type: 'number_input', action_id: 'attendees', initial_value: '5' }) as never;
    expect(rules(validateSlackModal(modal))).toEqual(['number_input is_decimal_allowed is required']);
    modal.blocks[3] = input('Antal', { type: 'number_input', action_id: 'attendees', is_decimal_allowed: false, initial_value: '2.5', min_value: '10', max_value: '1' }) as never;
    expect(rules(validateSlackModal(modal))).toEqual(['number_input initial_value is a whole number', 'number_input min_value ≤ max_value']);
  });

  it('rejects an initial_option that is not one of the options, and mrkdwn in a select', () => {
    const modal = reflectionModal();
    modal.blocks[4] = input('Fokus', { type: 'static_select', action_id: 'focus', options: [option('A', 'a'), { text: mrkdwn('*B*'), value: 'b' }], initial_option: option('C', 'c') }) as never;
    expect(validateSlackModal(modal).map((v) => [v.path, v.rule])).toEqual([
      ['blocks[4].element.options[1].text.type', 'option text must be plain_text'],
      ['blocks[4].element.initial_option', 'initial option is one of the options'],
    ]);
  });

  it('rejects a repeated action_id across input blocks', () => {
    const modal = reflectionModal();
    modal.blocks[2] = input('Næste møde', { type: 'datepicker', action_id: 'learned' }, { block_id: 'next' }) as never;
    expect(validateSlackModal(modal).map((v) => [v.path, v.rule])).toEqual([['blocks[2].element.action_id', 'action_id unique within the modal (our handler routes on it)']]);
  });

  it('returns every problem in the view at once', () => {
    const violations = validateSlackModal({ type: 'home', title: mrkdwn('En alt for lang titel på en modal'), blocks: [input('Svar', { type: 'button', text: plain('Nej'), action_id: 'x' })] });
    expect(rules(violations)).toEqual([
      "view type is 'modal'",
      'modal title must be plain_text',
      'modal title ≤ 24 characters',
      'button allowed in input blocks',
      'modal with an input block has submit',
    ]);
  });
});
