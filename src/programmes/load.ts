// Reads programme files from disk. The schema lives in the domain; this is the I/O edge around it.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { checkProgrammeTemplates } from '../cards/custom-template.ts';
import { programmeSchema, type Programme } from '../domain/programme/schema.ts';

/** The folder of built-in programmes shipped with the bot. */
export const BUILT_IN_DIR = resolve(fileURLToPath(new URL('../../programmes', import.meta.url)));

/** One or more broken programme files; each line reads "file: path: reason". */
export class ProgrammeFileError extends Error {
  readonly lines: string[];
  constructor(file: string, problems: string[]);
  constructor(lines: string[]);
  constructor(fileOrLines: string | string[], problems: string[] = []) {
    const lines = typeof fileOrLines === 'string' ? problems.map((p) => `${fileOrLines}: ${p}`) : fileOrLines;
    super(lines.join('\n'));
    this.name = 'ProgrammeFileError';
    this.lines = lines;
  }
}

/** Parses one programme file's text; throws ProgrammeFileError naming the file, the path and the reason. */
export function parseProgramme(text: string, file: string): Programme {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new ProgrammeFileError(
      file,
      // yaml's message repeats the position and a code excerpt; keep the sentence and give the position once.
      doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? 0}, column ${e.linePos?.[0]?.col ?? 0}: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`),
    );
  const raw: unknown = doc.toJS();
  const unreadable = readCardTemplates(raw, dirname(file));
  const result = programmeSchema.safeParse(raw);
  if (!result.success || unreadable.length > 0) throw new ProgrammeFileError(file, [...unreadable, ...(result.success ? [] : result.error.issues.map(describeIssue))]);
  const templateProblems = checkProgrammeTemplates(result.data);
  if (templateProblems.length > 0) throw new ProgrammeFileError(file, templateProblems);
  return result.data;
}

/**
 * An activity's `card.template` names a JSON file next to the programme; it is read in place, so
 * the schema and the card checks see the template itself. Returns the files that could not be read.
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
      const at = `phases.${p}.activities.${a}.card.template`;
      try {
        activity.card!.template = JSON.parse(readFileSync(resolve(dir, name), 'utf8'));
      } catch (error) {
        const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        problems.push(`${at}: cannot read the template ${name} (${reason})`);
        delete activity.card; // reported once, here, rather than again as a wrong type
      }
    });
  });
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  return `${path}: ${issue.message}`;
}

export function loadProgrammeFile(file: string): Programme {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProgrammeFileError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  return parseProgramme(text, file);
}

/**
 * Loads every `*.yaml` in the given folders; later folders may add programmes but not reuse an id.
 * Every broken file is reported at once, so a user fixes them in one pass.
 */
export function loadProgrammes(dirs: string[] = [BUILT_IN_DIR]): Map<string, Programme> {
  const programmes = new Map<string, Programme>();
  const problems: ProgrammeFileError[] = [];
  for (const dir of dirs) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort();
    for (const name of files) {
      const file = join(dir, name);
      try {
        const programme = loadProgrammeFile(file);
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
