import { hasMarks, segments, unmark } from '../person-text.ts';

/**
 * The expanded card with a person's words as text (see person-text.ts for why): every TextBlock
 * holding a marked string becomes a RichTextBlock whose TextRuns are never read as Markdown, a
 * FactSet holding one becomes rows of RichTextBlocks, and every mark is removed everywhere else
 * (an input's value, the fallback text), where Adaptive Cards shows text as it is anyway.
 */

type Json = Record<string, unknown>;

/** What a RichTextBlock keeps of a TextBlock (its 1.5 properties); `wrap`, `maxLines`, `style` have no counterpart, a RichTextBlock always wraps. */
const BLOCK_KEYS = ['id', 'requires', 'lang', 'isVisible', 'separator', 'height', 'horizontalAlignment', 'spacing', 'fallback'];
/** What each TextRun takes over from the TextBlock. */
const RUN_KEYS = ['size', 'weight', 'color', 'isSubtle', 'fontType'];
const FACTSET_KEYS = ['id', 'requires', 'lang', 'isVisible', 'separator', 'height', 'spacing', 'fallback'];

const pick = (from: Json, keys: string[]): Json => Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));

/**
 * TextRuns for a marked text: a person's words as they are; the programme's words around them with
 * the Markdown that matters on such a line, `**bold**` and a list's "- ", kept as bold and "• ".
 * Anything else in the programme's words shows as written.
 */
export function textRuns(text: string, style: Json = {}): Json[] {
  const runs: Json[] = [];
  let lineStart = true;
  const push = (value: string, extra: Json = {}) => {
    if (value === '') return;
    const run: Json = { type: 'TextRun', text: value, ...style, ...extra };
    lineStart = value.endsWith('\n');
    // Runs alike in all but their words are one run ("“" and an answer and "”"): all of it is text now.
    const last = runs.at(-1);
    if (last && JSON.stringify({ ...last, text: '' }) === JSON.stringify({ ...run, text: '' })) last['text'] = `${String(last['text'])}${value}`;
    else runs.push(run);
  };
  for (const segment of segments(text)) {
    if (segment.person) {
      push(segment.text);
      continue;
    }
    const bulleted = segment.text.replace(/(^|\n)[-*+] /g, (match, newline: string, offset: number) => (offset === 0 && !lineStart ? match : `${newline}• `));
    bulleted.split(/\*\*(.+?)\*\*/s).forEach((part, i) => push(part, i % 2 === 1 ? { weight: 'bolder' } : {}));
  }
  return runs;
}

function richTextBlock(textBlock: Json): Json {
  return { type: 'RichTextBlock', ...literal(pick(textBlock, BLOCK_KEYS)), inlines: textRuns(String(textBlock['text']), pick(textBlock, RUN_KEYS)) };
}

const cell = (width: string, text: string, style: Json): Json => ({ type: 'Column', width, items: [{ type: 'RichTextBlock', inlines: textRuns(text, style) }] });

/** A FactSet, row by row: the title bold in a column of its own width, the value beside it. */
function factRows(factSet: Json): Json {
  const facts = ((factSet['facts'] as Json[] | undefined) ?? []).filter((f) => f && typeof f === 'object');
  return {
    type: 'Container',
    ...literal(pick(factSet, FACTSET_KEYS)),
    items: facts.map((fact, i) => ({
      type: 'ColumnSet',
      ...(i > 0 ? { spacing: 'small' } : {}),
      columns: [cell('auto', String(fact['title'] ?? ''), { weight: 'bolder' }), cell('stretch', String(fact['value'] ?? ''), {})],
    })),
  };
}

const marked = (value: unknown): boolean => typeof value === 'string' && hasMarks(value);

/** Words no Markdown reads anything into: letters, digits, spaces and plain punctuation, not opening like a list item. */
const PLAIN_WORDS = /^(?![-+]|\d+[.)])[\p{L}\p{N}\p{Zs}.,;:!?'’"“”&/()–—-]*$/u;
/** A heading keeps its role (a RichTextBlock has none) while the person's words in it are plain words: "Velkommen, Team Øst!". */
const plainHeading = (json: Json): boolean =>
  json['style'] === 'heading' &&
  segments(String(json['text']))
    .filter((s) => s.person)
    .every((s) => PLAIN_WORDS.test(s.text));

/** The card (or any part of it) with a person's words as text and no mark left. */
export function literal<T>(node: T): T {
  if (typeof node === 'string') return unmark(node) as T;
  if (Array.isArray(node)) return node.map(literal) as T;
  if (!node || typeof node !== 'object') return node;
  const json = node as Json;
  if (json['type'] === 'TextBlock' && marked(json['text']) && !plainHeading(json)) return richTextBlock(json) as T;
  if (json['type'] === 'FactSet' && Array.isArray(json['facts']) && (json['facts'] as Json[]).some((f) => marked(f?.['title']) || marked(f?.['value']))) {
    return factRows(json) as T;
  }
  return Object.fromEntries(Object.entries(json).map(([key, value]) => [key, literal(value)])) as T;
}
