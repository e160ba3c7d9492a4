// What the fuzz tests (test/fuzz/*) share: their seeds and how a failure names them, the hostile strings and
// values they build payloads from, a digest of a namespace's team data in Redis (to show a refused payload
// changed nothing), and how an answer card is told apart (an error card, an expired card, any other card).
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { COMMAND_NAMES, COMMANDS } from '../../src/app/commands/run-command.ts';
import { may } from '../../src/app/permissions.ts';
import { catalogue } from '../../src/cards/strings.ts';
import { LOCALES, type Role } from '../../src/domain/programme/schema.ts';

/** The seed of a fuzz run: the file's own, fixed, unless FUZZ_SEED asks for another (to explore, or to replay a failure). */
export function fuzzSeed(fixed: number): number {
  const asked = process.env['FUZZ_SEED'];
  return asked === undefined || asked === '' ? fixed : Number(asked);
}

/** A fuzz test's number of runs: its own, unless FUZZ_RUNS asks for more (a longer hunt) or fewer. */
export function fuzzRuns(fixed: number): number {
  const asked = process.env['FUZZ_RUNS'];
  return asked === undefined || asked === '' ? fixed : Number(asked);
}

/**
 * fc.assert with the seed and the number of runs printed first, and the seed (with how to replay it) at the
 * head of a failure's message: a failure found once can be found again.
 */
export async function fuzz<T>(name: string, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>, options: { seed: number; numRuns: number; examples?: T[] }): Promise<void> {
  const started = performance.now();
  console.info(`[fuzz] ${name}: seed ${options.seed}, ${options.numRuns} runs`);
  try {
    await fc.assert(fc.asyncProperty(arbitrary, check), {
      seed: options.seed,
      numRuns: options.numRuns,
      // FUZZ_SHRINK=false reports the first failure as found, without looking for a smaller one.
      endOnFailure: process.env['FUZZ_SHRINK'] === 'false',
      ...(options.examples ? { examples: options.examples.map((e) => [e] as [T]) } : {}),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${name} failed with seed ${options.seed} (replay: FUZZ_SEED=${options.seed} npx vitest run <this file>)\n${message}`, { cause: error });
  }
  console.info(`[fuzz] ${name}: ${options.numRuns} runs passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

// --- Hostile text and values ---------------------------------------------------------------------------------

/** A lone half of a surrogate pair: no valid UTF-16 string, and no valid UTF-8 once encoded. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Characters that break naive code: NUL and controls, direction overrides, a BOM, markup, template syntax, combining marks. */
const tricky = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u200f',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\u00a0',
  '\u2028',
  '\n',
  '\r\n',
  '\t',
  '"',
  "'",
  '\\',
  '<at>Sparringsbot</at>',
  '<b>',
  '&amp;',
  '&nbsp;',
  '<script>alert(1)</script>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax as text is what is sent
  '${x}',
  '{{x}}',
  '%s',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '💥',
  '👩🏽‍🏫',
  'e\u0301',
  'ﷺ',
  'İ',
  'ß',
  '/sparring',
  '*bold*',
  '<@U1>',
  '<!channel>',
);

const unit = fc.oneof({ weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }, { weight: 2, arbitrary: loneSurrogate }, { weight: 3, arbitrary: tricky });

/** A short string from the whole of Unicode, lone surrogates and tricky characters included. */
export const nastyShortString = fc.string({ unit, maxLength: 30 });

/** Up to `maxKb` KB of text: what a huge field looks like. Built by repetition, so it costs nothing to generate. */
export const hugeString = (maxKb = 100) =>
  fc.tuple(fc.integer({ min: 1, max: maxKb }), fc.constantFrom('x', 'ø', '\ud800', '💥', 'a b ')).map(([kb, s]) => s.repeat(Math.ceil((kb * 1024) / s.length)));

/** Mostly short nasty strings, sometimes a huge one. */
export const nastyString = fc.oneof({ weight: 30, arbitrary: nastyShortString }, { weight: 1, arbitrary: hugeString() });

/** Object keys: ordinary, hostile (`__proto__`, `constructor`) or nasty. */
export const nastyKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'card', 'ref', 'verb', 'value', 'note', 'answer:x', ''), nastyShortString);

/** A JSON value of the wrong kind for wherever it lands: numbers, booleans, null, arrays and objects with hostile keys. */
export const wrongValue: fc.Arbitrary<unknown> = fc.anything({
  key: nastyKey,
  values: [nastyShortString, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constant(1e308), fc.constant(-0)],
  maxDepth: 3,
  maxKeys: 4,
});

/** Deeply nested JSON text (`[[[…]]]` or `{"a":{"a":…}}`), for a raw body: deeper than any real payload. */
export const deepJson = fc
  .tuple(fc.integer({ min: 200, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

/** A placeholder a payload carries where a raw JSON text (deepJson) goes in: JSON.stringify, then `withRaw`. */
export const RAW = '@@raw@@';
export const withRaw = (json: string, raw: string) => json.replace(`"${RAW}"`, raw);

/** Bytes that are not UTF-8 (a lone continuation byte, an overlong NUL, a cut-off sequence) inside an otherwise plausible body. */
export const brokenUtf8 = (before: string, after: string) =>
  fc
    .constantFrom([0xff], [0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80])
    .map((bytes) => new Uint8Array(Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)])));

// --- Commands ----------------------------------------------------------------------------------------------

/** The words runCommand reads from a command's text (the same split). */
export function commandWords(text: string): string[] {
  return text
    .trim()
    .replace(/^\/sparring\b/i, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * What a command's text must get from a person with these roles (undefined: someone in no run): `error`, an
 * error card; `card`, any card (a read-only command: help, plan, status…); `writes`, a command that may
 * change the store (posting the agenda, muting reminders, changing a role or the calendar), which the fuzz
 * leaves out because only refused or read-only input can be checked against an unchanged store.
 */
export function commandOutcome(text: string, roles: readonly Role[] | undefined): 'error' | 'card' | 'writes' {
  const [first = 'help', ...args] = commandWords(text);
  const word = first.toLowerCase();
  if (!(COMMAND_NAMES as string[]).includes(word)) return 'error';
  const spec = COMMANDS[word as keyof typeof COMMANDS];
  if (!spec) return 'card';
  if (!roles) return 'error';
  if (!may(spec.permission, roles)) return 'error';
  if (!spec.takesArguments && args.length > 0) return 'error';
  const lead = roles.includes('leader') || roles.includes('facilitator');
  if (spec.permission === 'postToChannel') return 'writes';
  if ((word === 'calendar' || word === 'role') && args.length > 0) return lead ? 'writes' : 'error';
  if (word === 'reminders' && args.length > 0) return args.length === 1 && ['on', 'off'].includes(args[0]!.toLowerCase()) ? 'writes' : 'error';
  return 'card';
}

/** A command's text: a known command (with or without arguments, `/sparring` or `sparring` in front, in any case), or nonsense. */
export const commandText = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('', '/sparring ', 'sparring ', '  ', '/SPARRING '),
      fc.constantFrom(...COMMAND_NAMES, 'PLAN', 'Agenda', 'setup', 'opsætning', 'hjælp', 'plan!', 'planer'),
      fc.array(fc.oneof(fc.constantFrom('on', 'off', 'OFF', 'leder', 'staff', 'x', '2026-13-45', 'flyt', '29:a-s1', '<@U1>'), nastyShortString), { maxLength: 3 }),
    )
    .map(([prefix, word, args]) => [`${prefix}${word}`, ...args].join(' ')),
  nastyString,
);

// --- Answers -----------------------------------------------------------------------------------------------

const headings = (card: string) => LOCALES.map((l) => (catalogue(l)[card] as { heading: string }).heading);
const ERROR_HEADINGS = headings('error');
const EXPIRED_HEADINGS = headings('expired');
const SETUP_HEADINGS = headings('team-setup');

/**
 * Which kind of card a rendered card (Adaptive Card or Slack blocks, as JSON text) is: an error card, an
 * expired card, the set-up form (shown again with what to fix, when a submit is refused), or any other.
 */
export function cardKind(json: string): 'error' | 'expired' | 'setup' | 'card' {
  const has = (texts: string[]) => texts.some((h) => json.includes(JSON.stringify(h).slice(1, -1)));
  if (has(ERROR_HEADINGS)) return 'error';
  if (has(EXPIRED_HEADINGS)) return 'expired';
  if (has(SETUP_HEADINGS)) return 'setup';
  return 'card';
}

// --- The store ---------------------------------------------------------------------------------------------

/**
 * Every key of the namespace with a hash of its DUMP, in one script (atomic, so a write cannot fall between
 * two keys), leaving out what is no team data: the inbound de-dup marks (`seen:`), the delivery rate limits
 * (`limit:`) and the streams of acked slash commands (`commands:`, one per shard), which every accepted request touches.
 */
const DIGEST = `
local prefix = ARGV[1] .. ':'
local out = {}
local keys = redis.call('KEYS', prefix .. '*')
table.sort(keys)
for _, key in ipairs(keys) do
  local rest = string.sub(key, #prefix + 1)
  if string.sub(rest, 1, 5) ~= 'seen:' and string.sub(rest, 1, 6) ~= 'limit:' and string.sub(rest, 1, 9) ~= 'commands:' then
    out[#out + 1] = key
    out[#out + 1] = redis.sha1hex(redis.call('DUMP', key))
  end
end
return out
`;

export interface TeamData {
  /** Key → hash of its value: equal digests, an unchanged store (a diff names the keys that changed). */
  digest(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export function teamData(redisUrl: string, namespace: string): TeamData {
  if (!/^[a-z0-9-]+$/.test(namespace)) throw new Error(`a namespace with glob characters would digest other keys: ${namespace}`);
  const redis = new Redis(redisUrl);
  return {
    async digest() {
      const flat = (await redis.eval(DIGEST, 0, namespace)) as string[];
      const digest: Record<string, string> = {};
      for (let i = 0; i < flat.length; i += 2) digest[flat[i]!] = flat[i + 1]!;
      return digest;
    },
    async close() {
      await redis.quit();
    },
  };
}

/** The error lines logged since entry `from`, short: a refusal is a warning, an error line is a failure of ours. */
export function errorsSince(entries: ReadonlyArray<{ level: string; message: string; fields: Record<string, unknown> }>, from: number): string[] {
  return entries
    .slice(from)
    .filter((e) => e.level === 'error')
    .map((e) => `${e.message} ${JSON.stringify(e.fields, (_key, value: unknown) => (value instanceof Error ? `${value.name}: ${value.message}` : value)).slice(0, 300)}`);
}

/** Runs the tasks with at most `limit` at once, in order of start; results in the tasks' order. */
export async function inParallel<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
