// Slack's Block Kit limits, each with the reference page it comes from (docs.slack.dev/reference/block-kit/):
// apart from the checks, as the renderer caps its texts by the same numbers.
export const SLACK_LIMITS = {
  // "Block Kit" overview: up to 50 blocks in a message, 100 in a modal or Home tab.
  messageBlocks: 50,
  modalBlocks: 100,
  // "Section block": text 1–3000 characters; at most 10 fields of at most 2000 characters each.
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  // "Context block": at most 10 elements. That page sets no per-element text limit (a text object
  // allows 3000); 2000 is the renderer's own cap, kept here so renderer and validator agree.
  contextElements: 10,
  contextText: 2000,
  // "Header block": plain_text, at most 150 characters.
  headerText: 150,
  // "Button element": text ≤ 75, value ≤ 2000, url ≤ 3000; accessibility_label ≤ 75.
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  accessibilityLabel: 75,
  // Every block / element page: block_id and action_id at most 255 characters.
  actionId: 255,
  blockId: 255,
  // "Actions block": at most 25 elements.
  actionsElements: 25,
  // "Option object": text ≤ 75, value ≤ 150, description ≤ 75.
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  // "Input block": label and hint plain_text, at most 2000 characters each.
  inputLabel: 2000,
  inputHint: 2000,
  // "Modal views": title, submit, close ≤ 24; private_metadata ≤ 3000; callback_id ≤ 255.
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  // "Plain-text input element": min_length 0–3000, max_length 1–3000.
  plainTextInputMax: 3000,
  // Placeholders on every input element page: plain_text, at most 150 characters.
  placeholder: 150,
  // chat.postMessage: Slack truncates `text` beyond 40,000 characters (changelog "Truncating really
  // long messages", 2018). Not on the method page itself; the commonly documented value.
  messageText: 40000,
  // "Text object": text is 1–3000 characters wherever no tighter limit applies.
  textObject: 3000,
  // "Select menu element" (static_select): ≤ 100 options; "Radio button group element" and
  // "Checkboxes element": ≤ 10 options.
  staticSelectOptions: 100,
  radioOptions: 10,
  checkboxOptions: 10,
  // "Image block": image_url ≤ 3000, alt_text ≤ 2000, title ≤ 2000. The "Image element" page gives
  // no alt_text limit; we apply the image block's 2000.
  imageUrl: 3000,
  imageAltText: 2000,
  imageTitle: 2000,
} as const;
