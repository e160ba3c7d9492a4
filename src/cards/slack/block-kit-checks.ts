// The checks every Block Kit rule is made of: the collector of violations (and of ids, for duplicates), and the
// checks of one value's type and length, text objects included. Apart from the element rules that use them.
// Lengths are JavaScript string lengths (UTF-16 code units), as block-kit-rules.ts says.
import type { BlockKitViolation } from './block-kit.ts';
import { SLACK_LIMITS } from './block-kit-limits.ts';

const L = SLACK_LIMITS;
export type Obj = Record<string, unknown>;
export type Surface = 'message' | 'modal';

/** Collects violations and remembers ids, so duplicates across the whole payload are found. */
export class Checker {
  readonly surface: Surface;
  readonly violations: BlockKitViolation[] = [];
  private readonly blockIds = new Map<string, string>();
  private readonly actionIds = new Map<string, { path: string; block: number }>();

  constructor(surface: Surface) {
    this.surface = surface;
  }

  report(path: string, rule: string, message: string): void {
    this.violations.push({ path, rule, message });
  }

  // Every block page: "block_id should be unique for each message" (and view).
  blockId(id: string, path: string): void {
    const first = this.blockIds.get(id);
    if (first === undefined) this.blockIds.set(id, path);
    else this.report(path, `block_id unique within the ${this.surface}`, `block_id '${id}' is used again; first used at ${first}`);
  }

  // Element pages: action_id "should be unique among all other action_ids in the containing block".
  // Beyond Slack's rule, our handler routes on action_id, so a repeat anywhere in the payload is reported too.
  actionId(id: string, path: string, block: number): void {
    const first = this.actionIds.get(id);
    if (first === undefined) this.actionIds.set(id, { path, block });
    else if (first.block === block) this.report(path, 'action_id unique within a block', `action_id '${id}' is used twice in blocks[${block}]; first used at ${first.path}`);
    else this.report(path, `action_id unique within the ${this.surface} (our handler routes on it)`, `action_id '${id}' is already used at ${first.path}; the handler could not tell them apart`);
  }
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const at = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);
const kindOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `the string '${v.slice(0, 40)}'` : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

export function object(c: Checker, value: unknown, path: string, what: string): value is Obj {
  if (isObj(value)) return true;
  c.report(path, `${what} is an object`, `${what} is ${kindOf(value)}; Slack expects an object`);
  return false;
}

// Slack answers an unknown property inside blocks with invalid_blocks.
export function knownKeys(c: Checker, obj: Obj, path: string, what: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) c.report(at(path, key), `no unknown properties on ${what}`, `${what} has unknown property '${key}'; Slack rejects it`);
  }
}

interface StringRule {
  required?: boolean;
  max?: number;
  min?: number;
  /** Whose limit max is, for the message: Slack's unless said otherwise. */
  maxBy?: string;
}

export function string(c: Checker, obj: Obj, key: string, path: string, what: string, rule: StringRule = {}): string | undefined {
  const value = obj[key];
  const p = at(path, key);
  if (value === undefined) {
    if (rule.required) c.report(p, `${what} is required`, `${what} is missing; Slack requires it`);
    return undefined;
  }
  if (typeof value !== 'string') {
    c.report(p, `${what} is a string`, `${what} is ${kindOf(value)}; Slack expects a string`);
    return undefined;
  }
  if (rule.min !== undefined && value.length < rule.min) c.report(p, `${what} ≥ ${rule.min} character`, `${what} is empty; Slack needs at least ${rule.min} character`);
  if (rule.max !== undefined && value.length > rule.max) c.report(p, `${what} ≤ ${rule.max} characters`, `${what} is ${value.length} characters; ${rule.maxBy ?? 'Slack'} allows ${rule.max}`);
  return value;
}

export function boolean(c: Checker, obj: Obj, key: string, path: string, what: string, required = false): boolean | undefined {
  const value = obj[key];
  if (value === undefined) {
    if (required) c.report(at(path, key), `${what} is required`, `${what} is missing; Slack requires it`);
    return undefined;
  }
  if (typeof value === 'boolean') return value;
  c.report(at(path, key), `${what} is a boolean`, `${what} is ${kindOf(value)}; Slack expects true or false`);
  return undefined;
}

export function integer(c: Checker, obj: Obj, key: string, path: string, what: string, min: number, max: number): number | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    c.report(at(path, key), `${what} is an integer ${min}–${max}`, `${what} is ${JSON.stringify(value)}; Slack accepts whole numbers from ${min} to ${max}`);
    return undefined;
  }
  return value;
}

export function array(c: Checker, obj: Obj, key: string, path: string, what: string, max: number, required = true): unknown[] | undefined {
  const value = obj[key];
  const p = at(path, key);
  if (value === undefined) {
    if (required) c.report(p, `${what} is required`, `${what} is missing; Slack requires it`);
    return undefined;
  }
  if (!Array.isArray(value)) {
    c.report(p, `${what} is an array`, `${what} is ${kindOf(value)}; Slack expects an array`);
    return undefined;
  }
  if (value.length > max) c.report(p, `${what} ≤ ${max}`, `there are ${value.length} ${what}; Slack allows ${max}`);
  return value;
}

// "Text object": type plain_text or mrkdwn; text 1–3000 characters; emoji only on plain_text,
// verbatim only on mrkdwn. Headers, buttons, labels, hints, placeholders, titles take plain_text only.
export function text(c: Checker, value: unknown, path: string, what: string, max: number, plainOnly: boolean, maxBy?: string): void {
  if (!object(c, value, path, what)) return;
  knownKeys(c, value, path, `${what} (a text object)`, ['type', 'text', 'emoji', 'verbatim']);
  const type = value.type;
  if (type !== 'plain_text' && type !== 'mrkdwn') {
    c.report(at(path, 'type'), `${what} type is plain_text or mrkdwn`, `${what} has type ${JSON.stringify(type)}; Slack expects 'plain_text' or 'mrkdwn'`);
  } else if (plainOnly && type === 'mrkdwn') {
    c.report(at(path, 'type'), `${what} must be plain_text`, `${what} is mrkdwn; Slack accepts only plain_text here`);
  }
  if (value.emoji !== undefined && type === 'mrkdwn') c.report(at(path, 'emoji'), 'emoji only on plain_text', `${what} is mrkdwn and sets emoji, which Slack allows only on plain_text`);
  if (value.verbatim !== undefined && type === 'plain_text') c.report(at(path, 'verbatim'), 'verbatim only on mrkdwn', `${what} is plain_text and sets verbatim, which Slack allows only on mrkdwn`);
  boolean(c, value, 'emoji', path, `${what} emoji`);
  boolean(c, value, 'verbatim', path, `${what} verbatim`);
  string(c, value, 'text', path, what, { required: true, min: 1, max: Math.min(max, L.textObject), ...(maxBy ? { maxBy } : {}) });
}
