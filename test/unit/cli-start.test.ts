// What each command loads before it can answer, read from the sources' static imports (what Node loads
// with a module, as opposed to an `await import()` it reaches only when needed): `sparring programmes`
// answers without the YAML parser, the schema, the cards or any store, the other commands without what
// only some of their uses need, and the server without the SDK of a platform that is not configured.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

/** The modules a source loads with itself: static imports and re-exports, not `import type` nor `import()`. */
function staticImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const pattern = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?(['"])([^'"]+)\1/gm;
  return [...code.matchAll(pattern)].map((m) => m[2]!);
}

/** Every source file (relative to src/) and package loaded, transitively, with the given entry points. */
function loadedWith(...entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of staticImports(readFileSync(join(SRC, file), 'utf8'))) {
      if (spec.startsWith('.')) visit(relative(SRC, join(SRC, file, '..', spec)));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  for (const entry of entries) visit(entry);
  return { files, packages };
}

const under = (files: Set<string>, folder: string) => [...files].filter((f) => f.startsWith(folder));
/** The programme schema's modules (zod): everything in domain/programme/ but the vocabulary, activities and locales. */
const SCHEMA_MODULES = [
  'domain/programme/schema.ts',
  'domain/programme/schema-fields.ts',
  'domain/programme/activity-schema.ts',
  'domain/programme/timing-schema.ts',
  'domain/programme/cross-references.ts',
];
const schemaIn = (files: Set<string>) => SCHEMA_MODULES.flatMap((file) => under(files, file));

describe('what a command loads before it answers', () => {
  it('sees every static import and re-export, and no type-only or dynamic one', () => {
    const sample = [
      "import { a } from './a.ts';",
      "import {\n  b,\n  type B,\n} from './b.ts';",
      "export { c } from './c.ts';",
      "import 'side-effect';",
      "import type { D } from './d.ts';",
      "export type { E } from './e.ts';",
      "const f = await import('./f.ts');",
      "// import { g } from './g.ts';",
    ].join('\n');
    expect(staticImports(sample)).toEqual(['./a.ts', './b.ts', './c.ts', 'side-effect']);
  });

  it('sparring programmes: the recorded built-in programmes and the messages, and nothing of YAML, schema, cards or store', () => {
    const { files, packages } = loadedWith('cli.ts', 'cli/commands/programmes.ts');
    expect([...packages]).toEqual([]);
    expect([...under(files, 'cards/'), ...under(files, 'store/'), ...schemaIn(files), ...under(files, 'programmes/read.ts'), ...under(files, 'config.ts')]).toEqual([]);
  });

  it('sparring validate: the card checker only for a programme with its own card template', () => {
    const { files, packages } = loadedWith('cli.ts', 'cli/commands/validate.ts');
    expect(under(files, 'cards/')).toEqual([]);
    // The YAML parser is required where a file is parsed (src/programmes/read.ts), when one is.
    expect([...packages].sort()).toEqual(['zod']);
  });

  it('sparring plan: no cards, no schema, no YAML for a built-in programme, and the calendar file library only for --format ics', () => {
    const { files, packages } = loadedWith('cli.ts', 'cli/commands/plan.ts');
    expect([...under(files, 'cards/'), ...schemaIn(files)]).toEqual([]);
    // date-holidays is required only for a year the build did not record (src/domain/calendar/holidays.ts).
    expect([...packages].sort()).toEqual(['luxon']);
  });

  it('sparring card: the renderer without the card checker, the programmes’ reader or the YAML parser', () => {
    const { files, packages } = loadedWith('cli.ts', 'cli/commands/card.ts');
    expect(files).not.toContain('cards/custom-template.ts');
    expect(files).not.toContain('cards/adaptive/validate.ts');
    expect(files).not.toContain('programmes/load.ts');
    // The build's record of the samples while it is current: the samples, and with them the planner, only without it.
    expect(files).not.toContain('cards/samples.ts');
    expect(files).not.toContain('domain/timeline/plan.ts');
    // adaptivecards-templating is required on the first render (src/cards/render.ts).
    expect([...packages].sort()).toEqual(['intl-messageformat', 'luxon', 'zod']);
  });

  it('the server: Teams’ and Slack’s SDKs only when they are configured, and no YAML parser for the recorded built-in programmes', () => {
    const { packages } = loadedWith('main.ts', 'compose/server.ts');
    for (const sdk of ['botbuilder', 'botframework-connector', '@slack/bolt', '@slack/web-api', '@slack/oauth']) expect(packages).not.toContain(sdk);
    // nodemailer with SMTP configured, pino-pretty for a terminal: both required where they are used.
    for (const lazy of ['yaml', 'nodemailer', 'pino-pretty']) expect(packages).not.toContain(lazy);
  });

  it('npm start: its port bound with only the configuration, the logger and node:http loaded (the server after it)', () => {
    const { files, packages } = loadedWith('main.ts');
    expect(files).not.toContain('compose/server.ts');
    expect([...packages].sort()).toEqual(['pino', 'zod']);
  });
});
