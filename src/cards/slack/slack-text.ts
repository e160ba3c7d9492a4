// Text in Slack: a card's texts and facts as sections, mrkdwn escaped so nothing a card or a person
// wrote can link, mention or format where it should not, and person-written text (TextRuns) as text.
import { ELLIPSIS, truncate } from '../adaptive/fit.ts';
import { SLACK_LIMITS } from './block-kit.ts';

export type Json = Record<string, unknown>;
export type SlackBlock = Json & { type: string };
export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export const plain = (text: string, max: number): PlainText => ({ type: 'plain_text', text: truncate(stripMarkdown(text) || ELLIPSIS, max) });
export const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Slack reads `&`, `<` and `>` as markup (links, `<!channel>`, `<@U…>`), so text must have them escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Literal text (a TextRun, an input's value: a person's words, see ../person-text.ts) is safe in
 * mrkdwn once escaped only if nothing in it can format: mrkdwn has no escape for `*`, `_`, `~` or
 * a backtick, nor for a line opening with `>` (a quote). A Markdown link "[t](url)" is not mrkdwn,
 * but a client that learns it must not find one in a person's words either.
 * Inert literal text is sent as mrkdwn, escaped and `verbatim` (Slack then links no bare URL,
 * channel name or "@channel" in it), and joins the text around it; any other as plain_text, which
 * Slack never formats.
 */
export function inertInMrkdwn(text: string): boolean {
  return !/[*_~`]/.test(text) && !/(^|\n)\s*>/.test(text) && !text.includes('](');
}

export function toMrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/\*\*(.+?)\*\*/g, '*$1*');
}
export function stripMarkdown(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1');
}

export function isHeading(block: Json): boolean {
  return block['style'] === 'heading' || block['size'] === 'large' || block['size'] === 'extraLarge';
}

export function textBlock(element: Json): SlackBlock | undefined {
  const text = str(element['text']);
  if (!text) return undefined;
  if (isHeading(element)) return { type: 'header', text: plain(text, SLACK_LIMITS.headerText) };
  if (element['isSubtle'] === true) return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(toMrkdwn(text), SLACK_LIMITS.contextText) }] };
  const bold = element['weight'] === 'bolder' && !text.includes('\n') && !text.includes('*');
  const mrkdwn = bold ? `*${toMrkdwn(text)}*` : toMrkdwn(text);
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.sectionText) }, ...(bold ? { bold } : {}) };
}

/** A RichTextBlock's inlines as TextRuns (an inline may be a bare string). */
export function runsOf(element: Json): Json[] {
  const inlines = Array.isArray(element['inlines']) ? (element['inlines'] as unknown[]) : [];
  return inlines.flatMap((inline): Json[] => {
    if (typeof inline === 'string') return [{ type: 'TextRun', text: inline }];
    return inline && typeof inline === 'object' && (inline as Json)['type'] === 'TextRun' ? [inline as Json] : [];
  });
}
export const runsText = (element: Json): string =>
  runsOf(element)
    .map((run) => str(run['text']))
    .join('');
export const isHeadingRun = (run: Json) => run['size'] === 'large' || run['size'] === 'extraLarge';
export const isRichHeading = (element: Json) => runsOf(element).length > 0 && runsOf(element).every(isHeadingRun);

/**
 * A RichTextBlock is literal text (where a person's words are, see ../person-text.ts): a header
 * when all of it is large, context when all of it is quiet, a section otherwise; its bold runs
 * stay bold while it can be mrkdwn.
 */
export function richTextBlock(element: Json): SlackBlock | undefined {
  const runs = runsOf(element);
  const text = runsText(element);
  if (!text.trim()) return undefined;
  if (isRichHeading(element)) return { type: 'header', text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText) } };
  const quiet = runs.every((run) => run['isSubtle'] === true);
  const max = quiet ? SLACK_LIMITS.contextText : SLACK_LIMITS.sectionText;
  const allBold = !quiet && runs.every((run) => run['weight'] === 'bolder') && !text.includes('\n');
  let object: Json;
  if (!inertInMrkdwn(text)) object = { type: 'plain_text', text: truncate(text, max) };
  else {
    const boldRun = (run: Json, escaped: string) => !allBold && run['weight'] === 'bolder' && /^\S(?:[^\n]*\S)?$/.test(escaped);
    const mrkdwn = runs.map((run) => escapeMrkdwn(str(run['text']))).map((escaped, i) => (boldRun(runs[i] as Json, escaped) ? `*${escaped}*` : escaped));
    object = { type: 'mrkdwn', text: truncate(allBold ? `*${mrkdwn.join('')}*` : mrkdwn.join(''), max), verbatim: true };
  }
  if (quiet) return { type: 'context', elements: [object] };
  return { type: 'section', text: object, ...(allBold ? { bold: true } : {}) };
}

/**
 * Consecutive paragraphs share one section while they fit (fewer blocks, same reading); a bold line
 * starts a new one. mrkdwn joins mrkdwn (`verbatim` if either was) and plain_text joins plain_text.
 */
export function pushText(blocks: SlackBlock[], block: SlackBlock) {
  const last = blocks.at(-1);
  const startsNew = block['bold'] === true;
  delete block['bold'];
  const text = block['text'] as Json | undefined;
  const lastText = last?.['text'] as Json | undefined;
  if (block.type === 'section' && !startsNew && last?.type === 'section' && text && lastText && text['type'] === lastText['type']) {
    const merged = `${str(lastText['text'])}\n${str(text['text'])}`;
    if (merged.length <= SLACK_LIMITS.sectionText) {
      lastText['text'] = merged;
      if (text['verbatim'] === true) lastText['verbatim'] = true;
      return;
    }
  }
  blocks.push(block);
}

/** A fact as a field: "*title*\nvalue"; a literal fact (a person's words) the same when inert, else plain_text "title\nvalue". */
export function fact(title: string, value: string, literal: boolean): Json {
  if (!literal) return { type: 'mrkdwn', text: truncate(`*${toMrkdwn(title)}*\n${toMrkdwn(value)}`, SLACK_LIMITS.fieldText) };
  if (!inertInMrkdwn(title + value)) return { type: 'plain_text', text: truncate(`${title}\n${value}`, SLACK_LIMITS.fieldText) };
  return { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(title)}*\n${escapeMrkdwn(value)}`, SLACK_LIMITS.fieldText), verbatim: true };
}

export function factBlocks(element: Json): SlackBlock[] {
  const facts = ((element['facts'] as Json[] | undefined) ?? []).map((f) => fact(str(f['title']), str(f['value']), element['literal'] === true));
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < facts.length; i += SLACK_LIMITS.sectionFields) blocks.push({ type: 'section', fields: facts.slice(i, i + SLACK_LIMITS.sectionFields) });
  return blocks;
}
