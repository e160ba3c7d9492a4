import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { DEFAULT_TIMEZONE } from '../domain/calendar/calendar.ts';
import type { Locale } from '../domain/programme/schema.ts';
import { fitAdaptiveCard } from './adaptive/fit.ts';
import { literal } from './adaptive/literal.ts';
import { templateData } from './derive.ts';
import { toSlack, type SlackCard } from './slack/from-adaptive.ts';
import { markPersonText } from './person-text.ts';
import { formatterFor, messagesFor } from './strings.ts';
import { loadTemplateClass, type TemplateClass } from './templating.ts';
import { CARD_SCHEMAS, type CardName, type ViewModel } from './view-models.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../cards/templates/', import.meta.url));
export const CHANNELS = ['teams', 'slack'] as const;
export type Channel = (typeof CHANNELS)[number];

/** An Adaptive Card as JSON: what Teams and the browser playground receive. */
export type AdaptiveCardJson = Record<string, unknown> & { type: 'AdaptiveCard'; version: string; body: unknown[] };

export interface RenderOptions {
  locale: Locale;
  /** The team's time zone, for every date and time on the card. */
  timeZone?: string;
  /** A programme's own Adaptive Card template for this card, in place of cards/templates/<name>.json. */
  template?: object;
}

/** The card's data does not fit its contract; `problems` name each field ("ref.occurrenceId: …"). */
export class CardDataError extends Error {
  readonly card: CardName;
  readonly problems: string[];
  constructor(card: CardName, problems: string[]) {
    super(`card ${card}: ${problems.join('; ')}`);
    this.card = card;
    this.problems = problems;
  }
}

let templateClass: TemplateClass | undefined;
/** The templating package, loaded on the first render (it brings adaptive-expressions, a few tenths of a second): code that renders no card does not load it. */
function templateClassLoaded(): TemplateClass {
  templateClass ??= loadTemplateClass();
  return templateClass;
}

/**
 * Loads the templating package now rather than on the first render: a delivery worker calls it when it starts,
 * so the first fan-out after a start does not stall its event loop for the load (about half a second, cold).
 */
export function prepareRenderer(): void {
  templateClassLoaded();
}

const templates = new Map<CardName, object>();

type PreparedTemplate = InstanceType<TemplateClass>;

/**
 * A Template parses every `${…}` of its payload once, in its constructor (adaptive-expressions' antlr
 * parser: most of a render's cost), and `expand` reads that parse without changing it; so each template
 * is prepared once and expanded for every render. By object for the cards' own templates and a programme's
 * loaded ones (neither is changed after loading), and by JSON text for a template that arrives as a fresh
 * object each time (decoded from a work item, say), a bounded number of those.
 */
const prepared = new WeakMap<object, PreparedTemplate>();
const preparedByText = new Map<string, PreparedTemplate>();
const PREPARED_BY_TEXT_SIZE = 100;

function preparedTemplate(template: object): PreparedTemplate {
  let found = prepared.get(template);
  if (found) return found;
  const text = JSON.stringify(template);
  found = preparedByText.get(text);
  if (found) {
    preparedByText.delete(text); // to the end: the least recently used goes first
  } else {
    const Template = templateClassLoaded();
    found = new Template(template);
    if (preparedByText.size >= PREPARED_BY_TEXT_SIZE) preparedByText.delete(preparedByText.keys().next().value!);
  }
  preparedByText.set(text, found);
  prepared.set(template, found);
  return found;
}

export function defaultTemplate(name: CardName): object {
  let template = templates.get(name);
  if (!template) {
    template = JSON.parse(readFileSync(`${TEMPLATES_DIR}${name}.json`, 'utf8')) as object;
    templates.set(name, template);
  }
  return template;
}

export function parseViewModel<N extends CardName>(name: N, input: unknown): ViewModel<N> {
  const schema: z.ZodType = CARD_SCHEMAS[name];
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new CardDataError(
      name,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return parsed.data as ViewModel<N>;
}

/**
 * The template expanded with the view model. A person's words are marked before and shown as text
 * after (person-text.ts), so no answer, note or name is ever read as Markdown or mrkdwn.
 */
function expand<N extends CardName>(name: N, input: unknown, options: RenderOptions) {
  const vm = markPersonText(name, parseViewModel(name, input));
  const format = formatterFor(name, options.locale, options.timeZone ?? DEFAULT_TIMEZONE);
  const data = templateData(name, vm, format, (params) => messagesFor(name, options.locale, format, params));
  const card = literal(preparedTemplate(options.template ?? defaultTemplate(name)).expand({ $root: data }) as AdaptiveCardJson);
  return { card, format };
}

/** The Adaptive Card for a view model: the template expanded with the strings of `locale`, fitted to Teams' size. */
export function renderAdaptiveCard(name: CardName, input: unknown, options: RenderOptions): AdaptiveCardJson {
  return fitAdaptiveCard(expand(name, input, options).card);
}

/** The same card as Slack blocks: a message, and the modal each input-taking button opens. */
export function renderSlackCard(name: CardName, input: unknown, options: RenderOptions): SlackCard {
  const { card, format } = expand(name, input, options);
  return toSlack(card, {
    close: format('common.close'),
    showRest: format('common.showAll'),
    more: (count) => format('common.more', { count }),
  });
}

/** The card for a channel: the Adaptive Card for Teams (and the browser), Block Kit for Slack. */
export function renderCard(name: CardName, input: unknown, channel: Channel, options: RenderOptions): AdaptiveCardJson | SlackCard {
  return channel === 'teams' ? renderAdaptiveCard(name, input, options) : renderSlackCard(name, input, options);
}
