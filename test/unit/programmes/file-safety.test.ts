// Programme files stay in their folder, and a broken or hostile file is a "file: path: reason" line:
// a card template outside the programme's folder is refused without quoting it, a YAML alias bomb
// fails fast, and no parse failure escapes as a stack trace.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultTemplate } from '../../../src/cards/render.ts';
import { loadProgrammeFile, loadProgrammes, ProgrammeFileError, parseProgramme } from '../../../src/programmes/load.ts';
import { programme } from '../../support/plans.ts';

type Json = Record<string, unknown>;

const root = mkdtempSync(join(tmpdir(), 'sparring-file-safety-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
/** A fresh folder below `root`, so `../x` from it lands in `root` and not in someone else's folder. */
const freshDir = () => {
  const dir = join(root, `programme-${++folders}`);
  mkdirSync(dir);
  return dir;
};

/** A valid template with a sentence that must never show up in an error. */
const SECRET = 'SECRET-SENTENCE-FROM-A-FILE-OUTSIDE';
const secretTemplate = () => {
  const template = structuredClone(defaultTemplate('practice-prompt')) as { body: Json[] };
  template.body.splice(2, 0, { type: 'TextBlock', text: SECRET, wrap: true });
  return template;
};

/** A copy of the Odense programme in `dir` whose first practice prompt names `template` as its card template. */
function programmeUsing(template: string, dir = freshDir()): string {
  const copy = structuredClone(programme('odense-science-boernehoejde')) as unknown as { id: string; phases: Array<{ activities: Json[] }> };
  copy.id = 'odense-copy';
  copy.phases.flatMap((p) => p.activities).find((a) => a['kind'] === 'practicePrompt')!['card'] = { template };
  const file = join(dir, 'odense-copy.yaml');
  writeFileSync(file, stringify(copy));
  return file;
}

function errorOf(load: () => unknown): ProgrammeFileError {
  try {
    load();
  } catch (error) {
    if (error instanceof ProgrammeFileError) return error;
    throw error;
  }
  throw new Error('expected a ProgrammeFileError, but the file was accepted');
}

/** Every line is "file: path: reason", with no stack trace and no line of a file that was refused. */
function expectLines(error: ProgrammeFileError, file: string): string[] {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const line of error.lines) expect(line).toMatch(new RegExp(`^${escaped}: [^ :]+( \\d+, column \\d+)?: \\S.*$`));
  expect(error.message).toBe(error.lines.join('\n'));
  expect(error.message).not.toMatch(/^\s+at /m);
  return error.lines;
}

/** Nothing of /etc/passwd in the message: not its first line, nor the start of any line. */
function expectNoPasswd(message: string) {
  expect(message).not.toContain('root:');
  if (!existsSync('/etc/passwd')) return;
  for (const line of readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .filter((l) => l.length >= 8))
    expect(message).not.toContain(line.slice(0, 8));
}

describe('a card template outside the programme’s folder', () => {
  const TEMPLATE_PATH = /^phases\.\d+\.activities\.\d+\.card\.template$/;

  it('is refused when it climbs out with ../, and the error quotes nothing of the file', () => {
    const file = programmeUsing('../../../../../../../../etc/passwd');
    const [line, ...more] = expectLines(
      errorOf(() => loadProgrammeFile(file)),
      file,
    );
    expect(more).toEqual([]);
    expect(line!.slice(file.length + 2).split(': ')[0]).toMatch(TEMPLATE_PATH);
    expect(line).toContain("the template ../../../../../../../../etc/passwd is refused: it must be a file in the programme's own folder");
    expectNoPasswd(line!);
  });

  it('is refused when it is an absolute path', () => {
    const file = programmeUsing('/etc/passwd');
    const lines = expectLines(
      errorOf(() => loadProgrammeFile(file)),
      file,
    );
    expect(lines).toEqual([expect.stringContaining("the template /etc/passwd is refused: it must be a file in the programme's own folder")]);
    expectNoPasswd(lines.join('\n'));
  });

  it('is refused even when the file outside is a valid template', () => {
    writeFileSync(join(root, 'outside.json'), JSON.stringify(secretTemplate()));
    const file = programmeUsing('../outside.json');
    const lines = expectLines(
      errorOf(() => loadProgrammeFile(file)),
      file,
    );
    expect(lines).toEqual([expect.stringContaining('the template ../outside.json is refused')]);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('is refused through a symbolic link in the folder that leads out of it', () => {
    const dir = freshDir();
    writeFileSync(join(root, 'linked-outside.json'), JSON.stringify(secretTemplate()));
    symlinkSync(join(root, 'linked-outside.json'), join(dir, 'prompt.json'));
    symlinkSync('/etc/passwd', join(dir, 'passwd.json'));
    for (const name of ['prompt.json', 'passwd.json']) {
      const file = programmeUsing(name, dir);
      const lines = expectLines(
        errorOf(() => loadProgrammeFile(file)),
        file,
      );
      expect(lines).toEqual([expect.stringContaining(`the template ${name} is refused: it leads out of the programme's own folder through a link`)]);
      expect(lines.join('\n')).not.toContain(SECRET);
      expectNoPasswd(lines.join('\n'));
    }
  });

  it('is refused through a linked folder that leads out', () => {
    const dir = freshDir();
    const elsewhere = freshDir();
    writeFileSync(join(elsewhere, 'prompt.json'), JSON.stringify(secretTemplate()));
    symlinkSync(elsewhere, join(dir, 'cards'));
    const file = programmeUsing('cards/prompt.json', dir);
    expect(errorOf(() => loadProgrammeFile(file)).lines).toEqual([expect.stringContaining('the template cards/prompt.json is refused: it leads out')]);
  });

  it('is not confused by a sibling folder whose name starts with the folder’s name', () => {
    const dir = freshDir();
    mkdirSync(`${dir}-evil`);
    writeFileSync(join(`${dir}-evil`, 'prompt.json'), JSON.stringify(secretTemplate()));
    const file = programmeUsing(`../${dir.split('/').at(-1)}-evil/prompt.json`, dir);
    expect(errorOf(() => loadProgrammeFile(file)).lines).toEqual([expect.stringContaining('is refused')]);
  });
});

describe('a card template inside the programme’s folder', () => {
  const usesSecret = (file: string) => JSON.stringify(loadProgrammeFile(file)).includes(SECRET);

  it('may sit in a folder below it, or be reached through a link that stays inside', () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'cards'));
    writeFileSync(join(dir, 'cards', 'prompt.json'), JSON.stringify(secretTemplate()));
    expect(usesSecret(programmeUsing('cards/prompt.json', dir))).toBe(true);
    expect(usesSecret(programmeUsing('./cards/../cards/prompt.json', dir))).toBe(true);
    symlinkSync(join(dir, 'cards', 'prompt.json'), join(dir, 'linked.json'));
    expect(usesSecret(programmeUsing('linked.json', dir))).toBe(true);
  });

  it('that is not JSON is named without quoting its text', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'prompt.json'), `root:x:0:0:${SECRET}\n`);
    writeFileSync(join(dir, 'half.json'), `{\n  "type": "AdaptiveCard",\n  ${SECRET}\n}`);
    const notJson = expectLines(
      errorOf(() => loadProgrammeFile(programmeUsing('prompt.json', dir))),
      join(dir, 'odense-copy.yaml'),
    );
    expect(notJson).toEqual([expect.stringMatching(/: the template prompt\.json is not valid JSON$/)]);
    const half = errorOf(() => loadProgrammeFile(programmeUsing('half.json', dir))).lines;
    expect(half).toEqual([expect.stringMatching(/: the template half\.json is not valid JSON( \(line 3, column 3\))?$/)]);
    for (const line of [...notJson, ...half]) {
      expect(line).not.toContain(SECRET);
      expect(line).not.toContain('root:');
    }
  });

  it('that is larger than 256 KB is refused without being read', () => {
    const dir = freshDir();
    const big = secretTemplate();
    big.body.push({ type: 'TextBlock', text: 'x'.repeat(256 * 1024), wrap: true });
    writeFileSync(join(dir, 'prompt.json'), JSON.stringify(big));
    expect(errorOf(() => loadProgrammeFile(programmeUsing('prompt.json', dir))).lines).toEqual([
      expect.stringMatching(/card\.template: cannot read the template prompt\.json \(larger than 256 KB\)$/),
    ]);
  });

  it('that is a folder is named as not a file', () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'cards'));
    expect(errorOf(() => loadProgrammeFile(programmeUsing('cards', dir))).lines).toEqual([expect.stringMatching(/cannot read the template cards \(not a file\)$/)]);
  });
});

describe('YAML that is hostile or broken', () => {
  /** 9 levels of 9 aliases: 9^9 (387 million) strings once expanded. */
  const aliasBomb = () => {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    return `${lines.join('\n')}\n`;
  };

  it('refuses an alias bomb with one line naming it', () => {
    const lines = expectLines(
      errorOf(() => parseProgramme(aliasBomb(), 'bomb.yaml')),
      'bomb.yaml',
    );
    expect(lines).toEqual(["bomb.yaml: line 2, column 10: the aliases expand to too much data (past yaml's limit of 100); refused as an alias bomb"]);
  });

  it('refuses an alias inside its own anchor, which would make the data contain itself', () => {
    const text = 'schemaVersion: 1\nphases: &loop\n  - activities: *loop\n';
    expect(errorOf(() => parseProgramme(text, 'loop.yaml')).lines).toEqual(['loop.yaml: line 3, column 17: the alias *loop is inside its own anchor, so the data would contain itself']);
  });

  it('names an alias whose anchor is missing, with its place', () => {
    const text = 'schemaVersion: 1\nid: *nope\ntitle: *other\n';
    expect(errorOf(() => parseProgramme(text, 'alias.yaml')).lines).toEqual([
      'alias.yaml: line 2, column 5: the alias *nope has no anchor &nope before it',
      'alias.yaml: line 3, column 8: the alias *other has no anchor &other before it',
    ]);
  });

  it('gives a syntax error as "file: line, column: reason", without a stack trace or an excerpt', () => {
    const error = errorOf(() => parseProgramme('schemaVersion: 1\nid: my-copy\nphases: [\n  - id: p\n', 'syntax.yaml'));
    const lines = expectLines(error, 'syntax.yaml');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^syntax\.yaml: line \d+, column \d+: [^\n]+$/);
  });

  it('gives one line per duplicate key', () => {
    const text = 'schemaVersion: 1\nid: a\nid: b\nlanguage: da\nlanguage: sv\n';
    expect(errorOf(() => parseProgramme(text, 'dup.yaml')).lines).toEqual(['dup.yaml: line 3, column 1: Map keys must be unique', 'dup.yaml: line 5, column 1: Map keys must be unique']);
  });

  it('gives one line, not hundreds, for nesting too deep to parse', () => {
    const lines = expectLines(
      errorOf(() => parseProgramme(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'deep.yaml')),
      'deep.yaml',
    );
    expect(lines.length).toBeLessThanOrEqual(21);
  });

  it('gives wrong types one line each, with their path', () => {
    const text = stringify({ ...structuredClone(programme('sevu-kollegial-sparring')), lengthMonths: 'three', language: 42 });
    expect(errorOf(() => parseProgramme(text, 'types.yaml')).lines).toEqual([expect.stringMatching(/^types\.yaml: language: /), expect.stringMatching(/^types\.yaml: lengthMonths: /)]);
  });

  it('refuses a file larger than 1 MB before parsing it', () => {
    const file = join(freshDir(), 'huge.yaml');
    writeFileSync(file, `# ${'x'.repeat(1024 * 1024)}\nschemaVersion: 1\n`);
    expect(errorOf(() => loadProgrammeFile(file)).lines).toEqual([`${file}: cannot be read (larger than 1 MB)`]);
    expect(errorOf(() => parseProgramme(readFileSync(file, 'utf8'), file)).lines).toEqual([`${file}: cannot be read (larger than 1 MB)`]);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO rather than waiting on it', () => {
    const file = join(freshDir(), 'pipe.yaml');
    execFileSync('mkfifo', [file]);
    expect(errorOf(() => loadProgrammeFile(file)).lines).toEqual([`${file}: cannot be read (not a file)`]);
  });

  it('at start-up, every broken file of PROGRAMMES_DIR is a line, together', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'bomb.yaml'), aliasBomb());
    writeFileSync(join(dir, 'syntax.yaml'), 'phases: [\n');
    writeFileSync(join(dir, 'dup.yaml'), 'id: a\nid: b\n');
    const error = errorOf(() => loadProgrammes([dir]));
    expect(error.lines.map((l) => l.slice(dir.length + 1).split(':')[0])).toEqual(['bomb.yaml', 'dup.yaml', 'syntax.yaml']);
    expect(error.message).not.toMatch(/^\s+at /m);
  });

  it('at start-up, a PROGRAMMES_DIR that is not there is a line, not a crash', () => {
    const dir = join(root, 'no-such-folder');
    expect(errorOf(() => loadProgrammes([dir])).lines).toEqual([`${dir}: cannot be read as a folder of programmes (ENOENT)`]);
  });
});
