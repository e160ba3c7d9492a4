// Reads programme files from disk. The schema lives in the domain; this is the I/O edge around it.
// Everything a user can get wrong in a file (YAML, types, a card template) comes back as a
// ProgrammeFileError of "file: path: reason" lines; none of them quotes a file other than the programme.
// The check of a programme's own card templates is passed in (load.ts passes the card checker), so that
// code reading programmes without cards does not load the card renderer.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Document, Node } from 'yaml';
import type { z } from 'zod';
import { programmeSchema, type Programme } from '../domain/programme/schema.ts';
import { BUILT_IN_DIR, checkedProgrammes } from './built-in.ts';
import { ProgrammeFileError } from './file-error.ts';

export { BUILT_IN_DIR, ProgrammeFileError };

/** Problems ("path: reason") of a valid programme's own card templates; none when fine. */
export type TemplateCheck = (programme: Programme) => string[];

/** A programme file is a few dozen KB; anything past this is refused before it is parsed. */
export const PROGRAMME_FILE_LIMIT = 1024 * 1024;
/** A card template is a few KB of JSON. */
export const TEMPLATE_FILE_LIMIT = 256 * 1024;
/**
 * yaml's guard against alias bombs ("billion laughs"): how far aliases may multiply the data before
 * the file is refused. The built-in programmes reuse a few anchors, well within this.
 */
const MAX_ALIAS_COUNT = 100;
/** A file with a broken bracket can yield hundreds of YAML errors; the first few say where to look. */
const MAX_YAML_ERRORS = 20;

/** Parses one programme file's text; throws ProgrammeFileError naming the file, the path and the reason. */
export function parseProgramme(text: string, file: string, checkTemplates: TemplateCheck): Programme {
  if (Buffer.byteLength(text, 'utf8') > PROGRAMME_FILE_LIMIT) throw new ProgrammeFileError(file, [`cannot be read (larger than ${kb(PROGRAMME_FILE_LIMIT)})`]);
  const raw = parseYaml(text, file);
  const unreadable = readCardTemplates(raw, dirname(file));
  const result = programmeSchema.safeParse(raw);
  if (!result.success || unreadable.length > 0) throw new ProgrammeFileError(file, [...unreadable, ...(result.success ? [] : result.error.issues.map(describeIssue))]);
  const templateProblems = checkTemplates(result.data);
  if (templateProblems.length > 0) throw new ProgrammeFileError(file, templateProblems);
  return result.data;
}

/**
 * The YAML as plain data, or a ProgrammeFileError with a "line L, column C: reason" per problem:
 * syntax, duplicate keys, several documents, an alias without its anchor, an alias inside its own
 * anchor (data that contains itself) and aliases that multiply the data past MAX_ALIAS_COUNT.
 */
function parseYaml(text: string, file: string): unknown {
  const { isAlias, LineCounter, parseDocument, visit } = yamlParser();
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return `line ${line}, column ${col}`;
  };
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    throw new ProgrammeFileError(file, [`${at(0)}: cannot be parsed as YAML (${describeError(error)})`]);
  }
  if (doc.errors.length > 0) throw new ProgrammeFileError(file, yamlErrors(doc, at));

  const aliasProblems: string[] = [];
  let firstAlias: Node | undefined;
  const lastAnchor = new Map<string, Node>(); // as yaml resolves an alias: the last node with that anchor before it
  visit(doc, {
    Node: (_key, node, path) => {
      if (isAlias(node)) {
        firstAlias ??= node;
        const target = lastAnchor.get(node.source);
        if (!target) aliasProblems.push(`${at(node.range?.[0])}: the alias *${node.source} has no anchor &${node.source} before it`);
        else if (path.includes(target)) aliasProblems.push(`${at(node.range?.[0])}: the alias *${node.source} is inside its own anchor, so the data would contain itself`);
      } else if (node.anchor) lastAnchor.set(node.anchor, node);
    },
  });
  if (aliasProblems.length > 0) throw new ProgrammeFileError(file, aliasProblems.slice(0, MAX_YAML_ERRORS));

  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const bomb = error instanceof ReferenceError && /resource exhaustion/.test(error.message);
    const reason = bomb ? `the aliases expand to too much data (past yaml's limit of ${MAX_ALIAS_COUNT}); refused as an alias bomb` : `cannot be read as data (${describeError(error)})`;
    throw new ProgrammeFileError(file, [`${at(bomb ? firstAlias?.range?.[0] : 0)}: ${reason}`]);
  }
}

let yaml: typeof import('yaml') | undefined;
/** The YAML parser, loaded with the first file parsed: the built-in programmes as the build recorded them need none. */
function yamlParser(): typeof import('yaml') {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yaml;
}

/** yaml's errors, one per line of the file: a too-deep nesting reports the same failure at every level it unwinds. */
function yamlErrors(doc: Document.Parsed, at: (offset: number) => string): string[] {
  const lines: string[] = [];
  let previous = '';
  for (const error of doc.errors) {
    const message = /call stack/i.test(error.message) ? 'nested too deeply' : error.message;
    const where = at(error.pos[0]);
    const key = `${where.replace(/, column \d+$/, '')}: ${message}`;
    if (key === previous) continue;
    previous = key;
    lines.push(`${where}: ${message}`);
  }
  return lines.length > MAX_YAML_ERRORS ? [...lines.slice(0, MAX_YAML_ERRORS), `${at(doc.errors.at(-1)!.pos[0])}: and ${lines.length - MAX_YAML_ERRORS} more YAML errors up to here`] : lines;
}

function describeError(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'nested too deeply';
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/**
 * An activity's `card.template` names a JSON file in the programme's folder (or a folder below it);
 * it is read in place, so the schema and the card checks see the template itself. Returns the
 * templates that could not be read or were refused.
 */
function readCardTemplates(raw: unknown, dir: string): string[] {
  const problems: string[] = [];
  const phases = (raw as { phases?: unknown })?.phases;
  if (!Array.isArray(phases)) return problems;
  phases.forEach((phase: { activities?: unknown }, p) => {
    if (!Array.isArray(phase?.activities)) return;
    phase.activities.forEach((activity: { card?: { template?: unknown } }, a) => {
      const name = activity?.card?.template;
      if (typeof name !== 'string') return;
      const read = readCardTemplate(dir, name);
      if ('template' in read) activity.card!.template = read.template;
      else {
        problems.push(`phases.${p}.activities.${a}.card.template: ${read.problem}`);
        delete activity.card; // reported once, here, rather than again as a wrong type
      }
    });
  });
  return problems;
}

/**
 * One template file, which must stay inside the programme's folder: no absolute path, no `..` out
 * of it, no symbolic link that leads out of it. A refusal or a failure never quotes the file, as
 * it may be anything on the machine (`../../../../etc/passwd`).
 */
function readCardTemplate(dir: string, name: string): { template: unknown } | { problem: string } {
  const shown = showName(name);
  const outside = { problem: `the template ${shown} is refused: it must be a file in the programme's own folder` };
  if (name === '' || name.includes('\0') || isAbsolute(name)) return outside;
  const home = resolve(dir);
  const path = resolve(home, name);
  if (!isInside(home, path)) return outside;
  let real: string;
  try {
    real = realpathSync(path);
    if (!isInside(realpathSync(home), real)) return { problem: `the template ${shown} is refused: it leads out of the programme's own folder through a link` };
  } catch (error) {
    return { problem: `cannot read the template ${shown} (${errorCode(error)})` };
  }
  let text: string;
  try {
    text = readSmallFile(real, TEMPLATE_FILE_LIMIT, constants.O_NOFOLLOW);
  } catch (error) {
    return { problem: `cannot read the template ${shown} (${errorCode(error)})` };
  }
  try {
    return { template: JSON.parse(text) };
  } catch (error) {
    // The engine's message quotes the start of the text; only its position is passed on.
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    return { problem: `the template ${shown} is not valid JSON${position === undefined ? '' : ` (${linePos(text, Number(position))})`}` };
  }
}

/** Whether `path` is `dir` itself or below it (both absolute, with links resolved or not alike). */
function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** A name from the file as it was written, unless it would break the line or run on. */
function showName(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  return /^[^\u0000-\u001f\u007f]{1,200}$/.test(name) ? name : JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}…` : name);
}

function linePos(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`);

/** Thrown by readSmallFile with a short reason: an error code, "not a file" or "larger than …". */
class FileRefused extends Error {}

/**
 * A regular file's text, read only up to `limit` bytes. Opened without blocking, so a FIFO or a
 * device is refused rather than waited on, and never read past the limit (a /proc file has no size).
 */
function readSmallFile(path: string, limit: number, flags = 0): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | flags);
  try {
    if (!fstatSync(fd).isFile()) throw new FileRefused('not a file');
    const buffer = Buffer.allocUnsafe(limit + 1);
    let size = 0;
    for (let n = -1; n !== 0 && size < buffer.length; size += n) n = readSync(fd, buffer, size, buffer.length - size, null);
    if (size > limit) throw new FileRefused(`larger than ${kb(limit)}`);
    return buffer.toString('utf8', 0, size);
  } finally {
    closeSync(fd);
  }
}

function errorCode(error: unknown): string {
  if (error instanceof FileRefused) return error.message;
  return (error as NodeJS.ErrnoException).code ?? describeError(error);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return `${path}: ${issue.message}`;
}

export function loadProgrammeFile(file: string, checkTemplates: TemplateCheck): Programme {
  let text: string;
  try {
    text = readSmallFile(file, PROGRAMME_FILE_LIMIT);
  } catch (error) {
    throw new ProgrammeFileError(file, [`cannot be read (${errorCode(error)})`]);
  }
  return parseProgramme(text, file, checkTemplates);
}

/**
 * Loads every `*.yaml` in the given folders; later folders may add programmes but not reuse an id.
 * Every broken file is reported at once, so a user fixes them in one pass.
 */
export function loadProgrammes(dirs: string[], checkTemplates: TemplateCheck): Map<string, Programme> {
  const programmes = new Map<string, Programme>();
  const problems: ProgrammeFileError[] = [];
  for (const dir of dirs) {
    // The built-in folder as the build checked it, when no file in it changed since (and no folder before it could clash).
    const checked = dir === BUILT_IN_DIR && programmes.size === 0 && problems.length === 0 ? checkedProgrammes() : undefined;
    if (checked) {
      for (const [id, programme] of checked) programmes.set(id, programme);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      problems.push(new ProgrammeFileError(dir, [`cannot be read as a folder of programmes (${errorCode(error)})`]));
      continue;
    }
    const files = names.filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
    for (const name of files) {
      const file = join(dir, name);
      try {
        const programme = loadProgrammeFile(file, checkTemplates);
        if (programmes.has(programme.id)) throw new ProgrammeFileError(file, [`id: "${programme.id}" is already used by another programme`]);
        if (basename(name).replace(/\.ya?ml$/, '') !== programme.id && dir === BUILT_IN_DIR)
          throw new ProgrammeFileError(file, [`id: built-in files are named after their id ("${programme.id}.yaml")`]);
        programmes.set(programme.id, programme);
      } catch (error) {
        if (!(error instanceof ProgrammeFileError)) throw error;
        problems.push(error);
      }
    }
  }
  if (problems.length > 0) throw new ProgrammeFileError(problems.flatMap((p) => p.lines));
  return programmes;
}

/** Whether any activity brings its own card template (the only part of a programme the card checker looks at). */
export function hasCardTemplates(programme: Programme): boolean {
  return programme.phases.some((phase) => phase.activities.some((activity) => activity.card?.template !== undefined));
}

/**
 * loadProgrammeFile with the card checker loaded only for a programme that has its own card templates: the same
 * checks in the same order (the template check comes last), without the renderer's start-up cost for the others.
 */
export async function loadProgrammeFileLoadingChecks(file: string): Promise<Programme> {
  const programme = loadProgrammeFile(file, () => []);
  if (!hasCardTemplates(programme)) return programme;
  const { checkProgrammeTemplates } = await import('../cards/custom-template.ts');
  const problems = checkProgrammeTemplates(programme);
  if (problems.length > 0) throw new ProgrammeFileError(file, problems);
  return programme;
}
