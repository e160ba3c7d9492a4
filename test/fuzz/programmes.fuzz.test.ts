// Fuzzed programme files through `sparring validate` (in-process, runCli): the five real programmes mutated
// (a required field dropped, a value of the wrong type, hostile text, an unknown activity in a timing or order
// rule, a huge or negative number, a duplicate id, a template outside the folder) and their YAML broken (cut
// short, stray characters, tabs, duplicate keys, aliases, a BOM, nesting too deep, a file too large). A valid file
// gets the one-line summary and exit 0; any other gets only `file: path: reason` lines and exit 1. Never a
// stack trace, never an exception out of the command.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../../src/cli/run.ts';
import { messagesFor } from '../../src/i18n/messages.ts';
import { BUILT_IN_DIR } from '../../src/programmes/load.ts';
import { fuzz, fuzzRuns, fuzzSeed, hugeString, nastyKey, nastyShortString, wrongValue } from '../support/fuzz.ts';

const SEED = fuzzSeed(1808);
const RUNS = fuzzRuns(300);

const FILES = readdirSync(BUILT_IN_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const TEXTS = FILES.map((f) => readFileSync(join(BUILT_IN_DIR, f), 'utf8'));
const DATA = TEXTS.map((t) => parse(t) as unknown);

type Json = Record<string, unknown>;
type Path = Array<string | number>;

/** Every path into a value (objects' keys, arrays' indexes), the value's own first. */
function pathsOf(value: unknown, at: Path = []): Path[] {
  const paths: Path[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => paths.push(...pathsOf(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths.push(...pathsOf(v, [...at, k]));
  return paths;
}
const PATHS = DATA.map((d) => pathsOf(d).filter((p) => p.length > 0));
/** Where a timing or order rule names another activity. */
const REFERENCES = PATHS.map((paths) => paths.filter((p) => ['activity', 'after', 'before'].includes(String(p.at(-1))) && (p.includes('timing') || p.includes('order'))));
const NUMBERS = DATA.map((d, i) => PATHS[i]!.filter((p) => typeof valueAt(d, p) === 'number'));

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key as string], root);
}

/** The value with the node at `path` replaced (`undefined`: removed). */
function withAt(root: unknown, path: Path, replacement: unknown): unknown {
  const copy = structuredClone(root);
  const parent = valueAt(copy, path.slice(0, -1)) as Json | unknown[];
  const key = path.at(-1)!;
  if (replacement === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete (parent as Json)[key as string];
  } else Object.defineProperty(parent, key, { value: replacement, enumerable: true, writable: true, configurable: true });
  return copy;
}

type Mutation = { what: string; text: string };

/** A real programme changed in its data, written back as YAML. */
const dataMutation: fc.Arbitrary<Mutation> = fc.integer({ min: 0, max: FILES.length - 1 }).chain((i) => {
  const data = DATA[i]!;
  const path = fc.constantFrom(...PATHS[i]!);
  const yaml = (value: unknown, what: string) => ({ what: `${FILES[i]}: ${what}`, text: stringify(value) });
  const options: Array<fc.Arbitrary<Mutation>> = [
    path.map((p) => yaml(withAt(data, p, undefined), `without ${p.join('.')}`)),
    fc.tuple(path, wrongValue).map(([p, v]) => yaml(withAt(data, p, v), `${p.join('.')} = ${JSON.stringify(v)?.slice(0, 100)}`)),
    fc.tuple(path, nastyShortString).map(([p, v]) => yaml(withAt(data, p, v), `${p.join('.')} = ${JSON.stringify(v)}`)),
    fc.tuple(path, nastyKey, wrongValue).map(([p, key, v]) => {
      const target = valueAt(data, p);
      const widened = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Json), [key]: v } : v;
      return yaml(withAt(data, p, widened), `${p.join('.')} with key ${JSON.stringify(key)}`);
    }),
    fc.tuple(path, fc.constantFrom(1e308, -1, -1e9, 0, 2 ** 53 + 1, 0.5, 1e-300, Number.POSITIVE_INFINITY, Number.NaN)).map(([p, v]) => yaml(withAt(data, p, v), `${p.join('.')} = ${v}`)),
  ];
  if (NUMBERS[i]!.length > 0)
    options.push(fc.tuple(fc.constantFrom(...NUMBERS[i]!), fc.constantFrom(1e308, -1, 1e9, 0, 3.5, Number.NaN)).map(([p, v]) => yaml(withAt(data, p, v), `${p.join('.')} = ${v}`)));
  if (REFERENCES[i]!.length > 0)
    options.push(
      fc
        .tuple(fc.constantFrom(...REFERENCES[i]!), fc.oneof(fc.constantFrom('nope', '', 'phases', 'oevebane'), nastyShortString))
        .map(([p, v]) => yaml(withAt(data, p, v), `${p.join('.')} = ${JSON.stringify(v)}`)),
    );
  // A template outside the programme's folder, or none at all.
  options.push(
    fc
      .tuple(fc.constantFrom(...PATHS[i]!.filter((p) => p.at(-2) === 'activities')), fc.constantFrom('../../../../etc/passwd', '/etc/hostname', 'nope.json', '', 'x\u0000.json', '.'))
      .map(([p, template]) => {
        const activity = valueAt(data, p) as Json;
        return yaml(withAt(data, p, { ...activity, card: { template } }), `${p.join('.')}.card.template = ${JSON.stringify(template)}`);
      }),
  );
  // A second activity with the id of the first.
  options.push(
    fc.constant(null).map(() => {
      const copy = structuredClone(data) as { phases: Array<{ activities: Json[] }> };
      const first = copy.phases[0]!.activities[0]!;
      copy.phases.at(-1)!.activities.push({ ...first });
      return yaml(copy, 'a duplicate activity id');
    }),
  );
  return fc.oneof(...options);
});

/** A real programme's text broken as YAML: cut, with stray characters, or wrapped in something else. */
const textMutation: fc.Arbitrary<Mutation> = fc.integer({ min: 0, max: FILES.length - 1 }).chain((i) => {
  const text = TEXTS[i]!;
  const at = fc.integer({ min: 0, max: text.length });
  const what = (w: string) => `${FILES[i]}: ${w}`;
  return fc.oneof(
    at.map((n) => ({ what: what(`cut at ${n}`), text: text.slice(0, n) })),
    fc
      .tuple(
        at,
        fc.oneof(
          fc.constantFrom(': [', '\t', '&a ', '*a', '*nope', '{', '}', '"', "'", '- ', '? ', '|', '>', '%YAML 9', '---\n', '...\n', '!!binary x', '!custom', '\u0000', '\ufeff', ':\n  :', '<<: *a'),
          nastyShortString,
        ),
      )
      .map(([n, s]) => ({ what: what(`${JSON.stringify(s)} at ${n}`), text: `${text.slice(0, n)}${s}${text.slice(n)}` })),
    fc.constant({ what: what('a duplicate key'), text: text.replace(/^(id: .*)$/m, '$1\n$1') }),
    fc.constant({ what: what('a BOM'), text: `\ufeff${text}` }),
    fc.constant({ what: what('a second document'), text: `${text}\n---\n${text}` }),
    fc.integer({ min: 1, max: 10 }).map((n) => ({ what: what('tabs for indentation'), text: text.replace(/^ {2}/gm, '\t'.repeat(n)) })),
  );
});

/** Files that are no programme at all: empty, a scalar, an alias bomb, nesting too deep, too large, binary. */
const otherFiles: fc.Arbitrary<Mutation> = fc
  .oneof(
    fc.constantFrom('', ' ', '\n', 'null', '~', '42', '"x"', '[]', '{}', '- a\n- b', 'id: x', '\u0000\u0001\u0002'),
    fc.integer({ min: 2, max: 9 }).map((n) => {
      const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let k = 1; k <= n; k++)
        lines.push(
          `${String.fromCharCode(97 + k)}: &${String.fromCharCode(97 + k)} [${Array(9)
            .fill(`*${String.fromCharCode(96 + k)}`)
            .join(',')}]`,
        );
      return lines.join('\n');
    }),
    fc.integer({ min: 100, max: 50_000 }).map((depth) => `phases: ${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.integer({ min: 100, max: 5_000 }).map((depth) => `phases:\n${Array.from({ length: depth }, (_, k) => `${' '.repeat(k + 1)}- `).join('\n')}x`),
    hugeString(1100).filter((s) => Buffer.byteLength(s) > 1024 * 1024),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  )
  .map((text) => ({ what: `another file (${text.length} chars): ${JSON.stringify(text.slice(0, 80))}`, text }));

const mutations = fc.oneof({ weight: 6, arbitrary: dataMutation }, { weight: 3, arbitrary: textMutation }, { weight: 1, arbitrary: otherFiles });

describe('fuzzed programme files through sparring validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-fuzz-programmes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const t = messagesFor('da');
  let n = 0;

  it(`answers ${RUNS} mutated programmes with the summary (exit 0) or only "file: path: reason" lines (exit 1)`, async () => {
    const counts = { valid: 0, invalid: 0 };
    await fuzz(
      'sparring validate',
      mutations.map((m) => Object.assign(m, { [fc.toStringMethod]: () => m.what })),
      async ({ text }) => {
        // A name with a space and a letter past ASCII, as a teacher's file may have.
        const file = join(dir, `forløb ${++n}.yaml`);
        writeFileSync(file, text);
        let out = '';
        let err = '';
        const code = await runCli(['validate', file], { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } });
        const said = `exit ${code}, stdout ${JSON.stringify(out.slice(0, 500))}, stderr ${JSON.stringify(err.slice(0, 1500))}`;
        for (const output of [out, err]) expect(output, said).not.toMatch(/\n\s+at |\bat .*\.(ts|js):\d+/);
        if (code === 0) {
          counts.valid++;
          expect(err, said).toBe('');
          const summary = escapeRegExp(t.cli.validOk(file, 'PROGRAMME-ID', 987_654))
            .replace('PROGRAMME-ID', '[^\\n]+')
            .replace('987654', '\\d+');
          expect(out, said).toMatch(new RegExp(`^${summary}\\n$`));
          return;
        }
        counts.invalid++;
        expect(code, said).toBe(1);
        expect(out, said).toBe('');
        expect(err.endsWith('\n'), said).toBe(true);
        const lines = err.slice(0, -1).split('\n');
        expect(lines.length, said).toBeGreaterThan(0);
        // Each problem names the file, where in it (a path, a line and column) and why; the file's own failure (too large) only why.
        const line = new RegExp(`^${escapeRegExp(file)}: ([^\\n]+: [^\\n]+|cannot be read \\([^\\n]+\\))$`);
        for (const l of lines) expect(l, said).toMatch(line);
      },
      { seed: SEED, numRuns: RUNS },
    );
    console.info(`[fuzz] programmes: ${counts.valid} valid, ${counts.invalid} refused`);
    expect(counts.invalid).toBeGreaterThan(RUNS / 2);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
