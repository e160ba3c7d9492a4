import { createRequire } from 'node:module';

/**
 * Checks an Adaptive Card the way a client would read it, with the official `adaptivecards`
 * package at the card's version 1.5:
 *  1. parse in a 1.5 SerializationContext: unknown or too-new element types, too-new
 *     properties and invalid enum values are reported as events;
 *  2. validateProperties(): duplicate input ids, required inputs without label or error message;
 *  3. a strict pass over the JSON against the package's own property tables, because the parser
 *     silently drops properties it does not know (a misspelt `isMultiLine` would pass 1 and 2).
 * Microsoft does not publish the 1.5 JSON schema in any npm package (AdaptiveCards issue #1317),
 * and the schema site cannot be reached from our builds, so 3 is the schema check: it uses the
 * same element and property definitions, with their versions, that the 1.5 schema is built from.
 */

/**
 * The few parts of `adaptivecards` used here, typed by hand: the package's typings point at its
 * TypeScript sources, which do not compile under this project's strict settings.
 */
declare namespace AdaptiveCards {
  interface PropertyDefinition {
    name: string;
  }
  interface SerializableObject {
    getSchema(): { getCount(): number; getItemAt(i: number): PropertyDefinition };
  }
  interface ValidationEventRecord {
    source?: unknown;
    event: number;
    message: string;
  }
  interface Registry {
    createInstance(type: string, version: unknown): SerializableObject | undefined;
  }
}
interface AdaptiveCardsModule {
  Versions: { v1_5: unknown };
  ValidationEvent: Record<number, string>;
  GlobalRegistry: { defaultElements: AdaptiveCards.Registry; defaultActions: AdaptiveCards.Registry };
  SerializationContext: new (version: unknown) => { eventCount: number; getEventAt(i: number): AdaptiveCards.ValidationEventRecord };
  AdaptiveCard: new () => AdaptiveCards.SerializableObject & {
    parse(json: unknown, context: unknown): void;
    validateProperties(): { validationEvents: AdaptiveCards.ValidationEventRecord[] };
  };
  Column: new () => AdaptiveCards.SerializableObject;
  TableRow: new () => AdaptiveCards.SerializableObject;
  TableCell: new () => AdaptiveCards.SerializableObject;
}

let loaded: AdaptiveCardsModule | undefined;
/** The package, loaded on the first check (about a tenth of a second): code that never checks a card does not load it. */
function ac(): AdaptiveCardsModule {
  // The package's `lib/` build has extensionless ESM imports that Node cannot load; its UMD bundle loads.
  loaded ??= createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;
  return loaded;
}

export const CARD_VERSION = '1.5';

export interface CardViolation {
  path: string;
  rule: string;
  message: string;
}

type Json = Record<string, unknown>;

/** Keys a class parses in code rather than through its property table, by JSON type. */
const PARSED_IN_CODE: Record<string, string[]> = {
  AdaptiveCard: ['body', 'actions', 'msteams'],
  Container: ['items', 'fallback'],
  Column: ['items', 'fallback'],
  ColumnSet: ['columns', 'fallback'],
  ActionSet: ['actions', 'fallback'],
  Table: ['rows', 'fallback'],
  TableRow: ['cells', 'style', 'horizontalCellContentAlignment', 'verticalCellContentAlignment'],
  TableCell: ['items'],
  RichTextBlock: ['inlines', 'fallback'],
  'Action.ShowCard': ['card', 'fallback'],
};
const ANY_ELEMENT_IN_CODE = ['fallback'];

function propertyTable(instance: AdaptiveCards.SerializableObject) {
  const schema = instance.getSchema();
  const table = new Map<string, AdaptiveCards.PropertyDefinition>();
  for (let i = 0; i < schema.getCount(); i++) {
    const property = schema.getItemAt(i);
    table.set(property.name, property);
  }
  return table;
}

function instanceFor(type: string): AdaptiveCards.SerializableObject | undefined {
  const AC = ac();
  if (type === 'AdaptiveCard') return new AC.AdaptiveCard();
  if (type === 'Column') return new AC.Column();
  if (type === 'TableRow') return new AC.TableRow();
  if (type === 'TableCell') return new AC.TableCell();
  return AC.GlobalRegistry.defaultElements.createInstance(type, AC.Versions.v1_5) ?? AC.GlobalRegistry.defaultActions.createInstance(type, AC.Versions.v1_5);
}

function strictCheck(value: unknown, path: string, out: CardViolation[], instance?: AdaptiveCards.SerializableObject): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => strictCheck(item, `${path}[${i}]`, out));
    return;
  }
  if (!value || typeof value !== 'object') return;
  const json = value as Json;
  const type = typeof json['type'] === 'string' ? (json['type'] as string) : undefined;
  const target = instance ?? (type ? instanceFor(type) : undefined);
  if (!target) return; // an unknown type is reported by the parser; untyped data (Action.Execute's `data`) is free-form
  const table = propertyTable(target);
  const inCode = [...(PARSED_IN_CODE[type ?? ''] ?? []), ...ANY_ELEMENT_IN_CODE];
  for (const [key, child] of Object.entries(json)) {
    const property = table.get(key);
    const at = path ? `${path}.${key}` : key;
    if (!property && !inCode.includes(key)) {
      out.push({ path: at, rule: 'known properties only', message: `${type ?? 'object'} has no property "${key}" in Adaptive Cards ${CARD_VERSION}` });
      continue;
    }
    if (key === 'data' || key === 'msteams') continue;
    const objectType = (property as { objectType?: new () => AdaptiveCards.SerializableObject } | undefined)?.objectType;
    if (objectType && Array.isArray(child)) child.forEach((item, i) => strictCheck(item, `${at}[${i}]`, out, new objectType()));
    else if (objectType) strictCheck(child, at, out, new objectType());
    else strictCheck(child, at, out);
  }
}

export function validateAdaptiveCard(card: unknown): CardViolation[] {
  const out: CardViolation[] = [];
  if (!card || typeof card !== 'object' || (card as Json)['type'] !== 'AdaptiveCard') {
    return [{ path: 'type', rule: 'an AdaptiveCard', message: 'the payload is not an object of type "AdaptiveCard"' }];
  }
  if ((card as Json)['version'] !== CARD_VERSION) {
    out.push({ path: 'version', rule: `version ${CARD_VERSION}`, message: `the card says version ${String((card as Json)['version'])}; Teams and our checks use ${CARD_VERSION}` });
  }

  const AC = ac();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const event = context.getEventAt(i);
    out.push({ path: describe(event.source), rule: `adaptivecards: ${AC.ValidationEvent[event.event]}`, message: event.message });
  }
  for (const event of parsed.validateProperties().validationEvents) {
    out.push({ path: describe(event.source), rule: `adaptivecards: ${AC.ValidationEvent[event.event]}`, message: event.message });
  }
  strictCheck(card, '', out);
  return out;
}

function describe(source: unknown): string {
  if (!source || typeof source !== 'object') return '(card)';
  const s = source as { getJsonTypeName?: () => string; id?: string };
  return [s.getJsonTypeName?.(), s.id ? `#${s.id}` : ''].join('') || '(card)';
}
