// The `sparring` command as a user meets it: in-process through runCli (fast, exact output), plus one
// run of the real bin to prove that `npx sparring` works end to end.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CARD_NAMES } from '../../src/cards/view-models.ts';
import { runCli } from '../../src/cli/run.ts';
import type { PlanJson } from '../../src/plan/json.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function sparring(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: { write: (s: string) => (out += s) }, err: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

// The Skolverket school module from week 38 2026 in Sweden: the seed's own three-week table.
const SKOLVERKET = ['plan', 'skolverket-kollegialt-larande', '--start', '2026-09-14', '--country', 'SE'];

async function planJson(...extra: string[]): Promise<PlanJson> {
  const { code, out, err } = await sparring(...SKOLVERKET, '--format', 'json', ...extra);
  expect({ code, err }).toEqual({ code: 0, err: '' });
  return JSON.parse(out) as PlanJson;
}

/** The text plan's lines for the given week (or week range, "51–1"), without the leading "vecka N". */
function weekLines(text: string, weeks: string): string[] {
  const prefix = `  vecka ${weeks} `;
  return text
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => l.slice(prefix.length).trim());
}

const PROGRAMMES = [
  ['kolding-laeringssamtale', 'Læringsamtaleformat – Fælles om ledelse', 'The learning conversation format – Leading together (Fælles om ledelse)', 12],
  ['odense-science-boernehoejde', 'Science og teknologi i børnehøjde', "Science and technology at children's eye level", 9],
  ['sevu-kollegial-sparring', 'Pakkeforløb: Kollegial sparring mellem vejledere', 'Package programme: Peer sparring between workplace trainers', 3],
  ['skolverket-kollegialt-larande', 'Planlæg, organisér og følg op på kollegial læring', 'Plan, organise and follow up collegial learning', 9],
  ['stuk-vejledningsforloeb', 'Kommunalt vejledningsforløb', 'Municipal guidance programme', 12],
] as const;
const IDS = PROGRAMMES.map(([id]) => id);

describe('sparring programmes', () => {
  const rowOf = (out: string, id: string) => out.split('\n').find((l) => l.startsWith(`${id} `)) ?? `(no row for ${id})`;

  it('lists all five programmes with their Danish titles and lengths by default', async () => {
    const { code, out, err } = await sparring('programmes');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    for (const [id, da, , months] of PROGRAMMES) {
      expect(rowOf(out, id)).toContain(`  ${da}  `);
      expect(rowOf(out, id)).toMatch(new RegExp(`  ${months} mdr\\.$`));
    }
  });

  it('shows English titles and lengths with --locale en', async () => {
    const { code, out } = await sparring('programmes', '--locale', 'en');
    expect(code).toBe(0);
    for (const [id, , en, months] of PROGRAMMES) {
      expect(rowOf(out, id)).toContain(`  ${en}  `);
      expect(rowOf(out, id)).toMatch(new RegExp(`  ${months} months$`));
    }
  });
});

describe('bad input: exit 2, one line on stderr naming the problem and the choices, nothing on stdout', () => {
  const withStart = (...rest: string[]) => [...SKOLVERKET, ...rest];
  // Each case: the arguments, then what the line must say. Danish is the default; once the programme is known, its
  // language (Skolverket's: Swedish) is the default. Quotation marks are the language's own: »…« in Danish, ”…” in Swedish.
  const cases: [string, string[], string[]][] = [
    ['unknown programme', ['plan', 'nope', '--start', '2026-09-14'], ['ukendt forløb »nope«', IDS.join(', ')]],
    ['month 13', ['plan', 'skolverket-kollegialt-larande', '--start', '2026-13-01'], ['ogiltigt datum ”2026-13-01”', 'ÅÅÅÅ-MM-DD']],
    ['day-first date', ['plan', 'skolverket-kollegialt-larande', '--start', '14-09-2026'], ['ogiltigt datum ”14-09-2026”', 'ÅÅÅÅ-MM-DD']],
    ['unknown zone', withStart('--tz', 'Mars/Olympus'), ['okänd tidszon ”Mars/Olympus”', 'Europe/Stockholm']],
    ['unknown country', ['plan', 'skolverket-kollegialt-larande', '--start', '2026-09-14', '--country', 'NO'], ['”NO”', '--country', 'DK, SE']],
    ['unknown locale', withStart('--locale', 'fi'), ['»fi«', '--locale', 'da, sv, en']],
    ['unknown format', withStart('--format', 'pdf'), ['”pdf”', '--format', 'text, json, ics']],
    ['unknown setting', withStart('--set', 'colour=red'), ['okänd inställning ”colour”', 'module, cadence']],
    ['bad setting value', withStart('--set', 'module=preschool'), ['”preschool”', 'module', 'school, leadership']],
    ['break week 60', withStart('--breaks', '44,60'), ['ogiltiga lovveckor ”44,60”', '1-53']],
    ['unknown option', withStart('--nope'), ['okänd flagga ”--nope”', '--start', '--breaks', '--format']],
    ['bad closed day', withStart('--closed', '2026-11-02,2026-11-31'), ['ogiltig stängd dag ”2026-11-31”', 'ÅÅÅÅ-MM-DD']],
    ['bad fixed date', withStart('--fix', 'del:1ab=15/9'), ['ogiltigt fast datum ”del:1ab=15/9”', 'ÅÅÅÅ-MM-DDTTT:MM']],
    ['bad fixed time', withStart('--fix', 'del:1ab=2026-09-15T25:00'), ['ogiltigt fast datum ”del:1ab=2026-09-15T25:00”']],
    ['unknown occurrence id', withStart('--fix', 'del:9ab=2026-09-15'), ['okänt tillfälle ”del:9ab”', 'rektor-planering', 'del:1ab…del:8cd']],
    ['unknown calendar kind', withStart('--calendar', 'holiday'), ['”holiday”', '--calendar', 'school, workplace']],
    ['sportlov week 11', withStart('--sportlov', '11'), ['”11”', '--sportlov', '7, 8, 9, 10']],
    ['missing --start', ['plan', 'skolverket-kollegialt-larande', '--country', 'SE'], ['--start', 'saknar ett värde']],
    ['unknown command', ['frobnicate'], ['ukendt kommando »frobnicate«', 'programmes, plan, validate']],
    ['no command at all', [], ['brug: sparring programmes', 'plan', 'validate']],
    ['a stray argument', ['programmes', 'extra'], ['brug: sparring programmes']],
    ['unknown card', ['card', 'postcard'], ['ukendt kort »postcard«', 'practice-prompt', 'welcome']],
    ['card without a name', ['card'], ['brug: sparring card --list']],
    ['unknown channel', ['card', 'help', '--channel', 'email'], ['»email«', '--channel', 'teams, slack']],
  ];

  it.each(cases)('%s', async (_name, argv, said) => {
    const { code, out, err } = await sparring(...argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^[^\n]+\n$/);
    for (const words of said) expect(err).toContain(words);
  });

  it('answers in Swedish with --locale sv', async () => {
    const { code, out, err } = await sparring(...withStart('--locale', 'sv', '--set', 'colour=red'));
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toBe('okänd inställning ”colour”; giltiga inställningar: module, cadence\n');
  });
});

describe('sparring validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-validate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = (s: string) => ({ da: s, sv: s, en: s });
  /** A programme file as a user's edited copy would look, with the given activities. */
  function writeProgramme(name: string, activities: Record<string, unknown>[]): string {
    const file = join(dir, name);
    const base = { title: text('A'), audience: ['staff'], durationMinutes: 60, kind: 'meeting', timing: { type: 'offset', time: '09:00' } };
    const phases = [{ id: 'p', title: text('P'), activities: activities.map((a) => ({ ...base, ...a })) }];
    const programme = { schemaVersion: 1, id: 'my-copy', language: 'da', title: text('T'), summary: text('S'), source: 'test', lengthMonths: 3, phases };
    writeFileSync(file, stringify(programme));
    return file;
  }
  async function brokenLines(file: string): Promise<string[]> {
    const { code, out, err } = await sparring('validate', file);
    expect({ code, out }).toEqual({ code: 1, out: '' });
    const lines = err.trimEnd().split('\n');
    // "file: path: reason" on every line, so a user can jump straight to each problem.
    for (const line of lines) expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [^ :]+( \\d+, column \\d+)?: \\S.*$`));
    return lines;
  }

  it('accepts a built-in programme file', async () => {
    const { code, out, err } = await sparring('validate', join(ROOT, 'programmes', 'sevu-kollegial-sparring.yaml'));
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('gyldigt forløb »sevu-kollegial-sparring« med 5 aktiviteter');
  });

  it('lists every schema problem of a file with its path', async () => {
    const file = writeProgramme('bad-fields.yaml', [
      { id: 'a', kind: 'party' },
      { id: 'b', durationMinutes: 0 },
    ]);
    const lines = await brokenLines(file);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(': phases.0.activities.0.kind: ');
    expect(lines[0]).toContain('"meeting"');
    expect(lines[1]).toContain(': phases.0.activities.1.durationMinutes: ');
  });

  it('reports an unknown activity in a timing rule together with a bad field, in one pass', async () => {
    const file = writeProgramme('ghost.yaml', [
      { id: 'a', kind: 'party' },
      { id: 'b', timing: { type: 'after', activity: 'ghost', time: '09:00' } },
    ]);
    const lines = await brokenLines(file);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(': phases.0.activities.0.kind: ');
    expect(lines[1]).toBe(`${file}: phases.0.activities.1.timing: refers to unknown activity "ghost"`);
  });

  it('reports a YAML syntax error with its line', async () => {
    const file = join(dir, 'syntax.yaml');
    writeFileSync(file, 'schemaVersion: 1\nid: my-copy\nphases: [\n  - id: p\n');
    const lines = await brokenLines(file);
    expect(lines[0]).toMatch(/: line \d+, column \d+: [^:]+$/);
  });

  /** Nothing of /etc/passwd: not "root:", nor the start of any of its lines. */
  function expectNoPasswd(err: string) {
    expect(err).not.toContain('root:');
    if (!existsSync('/etc/passwd')) return;
    for (const line of readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .filter((l) => l.length >= 8))
      expect(err).not.toContain(line.slice(0, 8));
  }

  it.each([
    ['climbs out with ../', '../../../../../../../../etc/passwd'],
    ['is an absolute path', '/etc/passwd'],
  ])('refuses a card template that %s, quoting nothing of the file', async (_name, template) => {
    const file = writeProgramme(`outside-${template.length}.yaml`, [{ id: 'a', card: { template } }]);
    const lines = await brokenLines(file);
    expect(lines).toEqual([`${file}: phases.0.activities.0.card.template: the template ${template} is refused: it must be a file in the programme's own folder`]);
    expectNoPasswd(lines.join('\n'));
  });

  it('refuses a card template that is a link leading out of the folder, quoting nothing of the file', async () => {
    symlinkSync('/etc/passwd', join(dir, 'linked.json'));
    const file = writeProgramme('linked.yaml', [{ id: 'a', card: { template: 'linked.json' } }]);
    const lines = await brokenLines(file);
    expect(lines).toEqual([`${file}: phases.0.activities.0.card.template: the template linked.json is refused: it leads out of the programme's own folder through a link`]);
    expectNoPasswd(lines.join('\n'));
  });

  /** 9 levels of 9 aliases: 9^9 strings once expanded. */
  const ALIAS_BOMB = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`)].join('\n');

  it('refuses a YAML alias bomb in one line', async () => {
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, `${ALIAS_BOMB}\n`);
    expect(await brokenLines(file)).toEqual([`${file}: line 2, column 10: the aliases expand to too much data (past yaml's limit of 100); refused as an alias bomb`]);
  });

  it('names an alias without its anchor, with its line, and no stack trace', async () => {
    const file = join(dir, 'alias.yaml');
    writeFileSync(file, 'schemaVersion: 1\nid: *nope\n');
    const { code, err } = await sparring('validate', file);
    expect(code).toBe(1);
    expect(err).toBe(`${file}: line 2, column 5: the alias *nope has no anchor &nope before it\n`);
  });

  it('gives a YAML syntax error without a stack trace or an excerpt of the file', async () => {
    const file = join(dir, 'syntax-2.yaml');
    writeFileSync(file, 'schemaVersion: 1\nid: "my-copy\nphases: [\n');
    const lines = await brokenLines(file);
    for (const line of lines) expect(line).toMatch(/: line \d+, column \d+: [^:]+$/);
    expect(lines.join('\n')).not.toMatch(/^\s+at /m);
  });

  it('says the same through bin/sparring.js: exit 1, "file: path: reason" lines, no stack trace', async () => {
    const bomb = join(dir, 'bin-bomb.yaml');
    writeFileSync(bomb, `${ALIAS_BOMB}\n`);
    const outside = writeProgramme('bin-outside.yaml', [{ id: 'a', card: { template: '../../../../../../../../etc/passwd' } }]);
    for (const [file, reason] of [
      [bomb, 'refused as an alias bomb'],
      [outside, 'is refused: it must be a file in the programme'],
    ] as const) {
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, ['bin/sparring.js', 'validate', file], { cwd: ROOT }, (error, stdout, stderr) =>
          done({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, stdout, stderr }),
        );
      });
      expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 1, stdout: '' });
      expect(result.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [^\n]*${reason}[^\n]*\n$`));
      expectNoPasswd(result.stderr);
    }
  });

  it('refuses timing rules that refer to each other in a circle, naming the circle', async () => {
    const file = writeProgramme('circle.yaml', [
      { id: 'a', timing: { type: 'after', activity: 'b', time: '09:00' } },
      { id: 'b', timing: { type: 'before', activity: 'a', days: 2 } },
    ]);
    expect(await brokenLines(file)).toEqual([`${file}: phases: timing and order rules refer to each other in a circle: a → b → a`]);
  });
});

describe('sparring plan --format json', () => {
  const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

  it('follows the JSON contract', async () => {
    const plan = await planJson();
    // A Swedish run defaults to Sweden's zone.
    expect(plan).toMatchObject({ programme: 'skolverket-kollegialt-larande', timezone: 'Europe/Stockholm', warnings: [] });
    expect(Object.keys(plan)).toEqual(expect.arrayContaining(['programme', 'timezone', 'hours', 'warnings', 'occurrences']));
    // The rector's check-in with the leader of the collegial learning (one hour) adds to both.
    expect(plan.hours).toEqual({ staff: 24, leader: 1.75, facilitator: 25 });
    for (const o of plan.occurrences) {
      expect(o).toMatchObject({ id: expect.any(String), kind: expect.any(String), title: expect.any(String) });
      expect(o.start).toMatch(OFFSET_TIME);
      expect(o.end).toMatch(OFFSET_TIME);
      expect(o.weeks.length > 0 && o.weeks.every((w) => Number.isInteger(w))).toBe(true);
      // Module parts carry their part and moments; everything else null and [].
      expect(o.kind === 'modulePart' ? typeof o.part === 'number' && o.moments.length === 2 : o.part === null && o.moments.length === 0).toBe(true);
      expect(o.audience.length).toBeGreaterThan(0);
      for (const q of o.questions) expect(q).toMatchObject({ id: expect.any(String), text: expect.any(String) });
    }
  });

  it('gives warnings as sentences in the plan language', async () => {
    // Odense's first questionnaire belongs in August; a run starting in October cannot place it there.
    const { code, out } = await sparring('plan', 'odense-science-boernehoejde', '--start', '2026-10-05', '--format', 'json');
    expect(code).toBe(0);
    const { warnings } = JSON.parse(out) as PlanJson;
    expect(warnings).toContain("Teamets egen puls 1 (før forløbet – ikke UCL's spørgeskema): skulle ligge 2026-08-01, før forløbet starter; lagt 2026-10-05");
  });

  it('has the rector’s prompt, the check-in with the leader and 16 module parts, the first in week 38 at 15:00 local time', async () => {
    const plan = await planJson();
    expect(plan.occurrences.map((o) => o.kind).sort()).toEqual(['meeting', ...Array(16).fill('modulePart'), 'reflectionPrompt']);
    expect(plan.occurrences.find((o) => o.kind === 'modulePart')).toMatchObject({
      id: 'del:1ab',
      title: 'Del 1, moment A, B',
      part: 1,
      moments: ['A', 'B'],
      weeks: [38],
      start: '2026-09-14T15:00:00+02:00',
      end: '2026-09-14T16:30:00+02:00',
    });
    const rector = plan.occurrences.find((o) => o.kind === 'reflectionPrompt');
    expect(rector?.questions[0]?.text).toBe('Hur skapar vi förutsättningar för deltagarna att träffas regelbundet?');
  });

  it('speaks English with --locale en', async () => {
    const plan = await planJson('--locale', 'en');
    expect(plan.occurrences.find((o) => o.kind === 'modulePart')?.title).toBe('Part 1, moments A, B');
    const rector = plan.occurrences.find((o) => o.kind === 'reflectionPrompt');
    expect(rector?.questions[0]).toMatchObject({ id: 'traffas-regelbundet', text: 'How do we make it possible for the participants to meet regularly?' });
  });
});

describe('sparring plan --format ics', () => {
  async function events() {
    const { code, out } = await sparring(...SKOLVERKET, '--format', 'ics');
    expect(code).toBe(0);
    return new ICAL.Component(ICAL.parse(out)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  }
  const stockholm = (e: ICAL.Event) => DateTime.fromJSDate(e.startDate.toJSDate(), { zone: 'Europe/Stockholm' });

  it('has one event per occurrence, with the same titles and instants', async () => {
    const plan = await planJson();
    const fromJson = plan.occurrences.map((o) => `${o.title} @ ${Date.parse(o.start ?? '')}`).sort();
    const fromIcs = (await events()).map((e) => `${e.summary} @ ${e.startDate.toJSDate().getTime()}`).sort();
    expect(fromIcs).toEqual(fromJson);
  });

  it('keeps UIDs unique and the same between two exports, so a re-import updates events', async () => {
    const first = (await events()).map((e) => e.uid);
    expect(new Set(first).size).toBe(first.length);
    expect((await events()).map((e) => e.uid)).toEqual(first);
  });

  it('shows the module meetings at 15:00 Swedish time on both sides of the October DST change', async () => {
    const all = await events();
    const part1 = all.find((e) => e.summary === 'Del 1, moment A, B');
    const part3 = all.find((e) => e.summary === 'Del 3, moment A, B');
    expect(part1 && stockholm(part1).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-09-14 15:00');
    expect(part3 && stockholm(part3).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-11-02 15:00');
  });
});

describe('sparring plan --breaks', () => {
  it('replaces the default breaks: with sportlov in week 7, part 6 C, D skips it', async () => {
    const plan = await planJson('--breaks', '44,51,52,53,1,7');
    expect(plan.occurrences.find((o) => o.id === 'del:6cd')?.weeks).toEqual([6, 8]);
  });

  it('with an empty list there are no breaks, and week 44 holds a module part', async () => {
    const { code, out } = await sparring(...SKOLVERKET, '--breaks', '');
    expect(code).toBe(0);
    expect(out).not.toMatch(/lov\b/);
    expect(weekLines(out, '44')).toEqual([expect.stringContaining('Del 3, moment A, B')]);
  });
});

describe('sparring plan with the run’s own calendar', () => {
  it('--closed moves a session off a closed day, later in the same week', async () => {
    const plan = await planJson('--closed', '2026-09-14');
    expect(plan.occurrences.find((o) => o.id === 'del:1ab')?.start).toBe('2026-09-15T15:00:00+02:00');
  });

  it('--fix sets an occurrence’s date (and time), and the order rules are checked against it', async () => {
    const plan = await planJson('--fix', 'del:1ab=2026-09-16T13:00,rektor-planering=2026-09-17', '--locale', 'en');
    expect(plan.occurrences.find((o) => o.id === 'del:1ab')?.start).toBe('2026-09-16T13:00:00+02:00');
    expect(plan.occurrences.find((o) => o.id === 'rektor-planering')?.start).toBe('2026-09-17T08:00:00+02:00');
    expect(plan.warnings).toEqual(['Plan the collegial learning (2026-09-17) should come before Part 1, moments A, B (2026-09-16)']);
  });

  it('--sportlov picks the sportlov week and --calendar the kind of calendar', async () => {
    expect((await planJson('--sportlov', '7')).occurrences.find((o) => o.id === 'del:6cd')?.weeks).toEqual([6, 8]);
    const workplace = await planJson('--calendar', 'workplace');
    expect(workplace.occurrences.find((o) => o.id === 'del:3ab')?.weeks).toEqual([44]);
  });

  it('prints the Skolverket plan from 11 January 2027 with every warning filled in', async () => {
    const { code, out } = await sparring('plan', 'skolverket-kollegialt-larande', '--start', '2027-01-11', '--locale', 'sv');
    expect(code).toBe(0);
    expect(out).toContain('(Europe/Stockholm)');
    expect(out).not.toMatch(/[{}]/);
    expect(out).toContain('  - Del 8, moment A, B: hamnar efter sommarlovet, i nästa läsår (2027-08-17)');
  });
});

describe('sparring plan --format text (the seed’s three-week table)', () => {
  const check = (out: string) => {
    expect(weekLines(out, '38')).toContainEqual(expect.stringContaining('Del 1, moment A, B'));
    expect(weekLines(out, '39–40')).toEqual([expect.stringContaining('Del 1, moment C, D')]);
    expect(weekLines(out, '44')).toEqual(['läslov']);
    // Jullov from 21 December: week 51 is still school, and school starts again on 7 January (week 1).
    expect(weekLines(out, '52–53')).toEqual(['jullov']);
    expect(weekLines(out, '9')).toEqual(['sportlov']);
    // Påsklov 2027 is the week after Easter (week 13), so part 8's C, D takes weeks 14–15.
    expect(weekLines(out, '13')).toEqual(['påsklov']);
    const last = out.trimEnd().split('\n').at(-1) ?? '';
    expect(last).toMatch(/^ {2}vecka 14–15 .*Del 8, moment C, D/);
  };

  it('prints the plan week by week in Swedish, with the breaks named', async () => {
    const { code, out, err } = await sparring(...SKOLVERKET, '--format', 'text');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    check(out);
  });

  it('works end to end through bin/sparring.js', async () => {
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, ['bin/sparring.js', ...SKOLVERKET, '--format', 'text'], { cwd: ROOT }, (error, stdout, stderr) =>
        done({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, stdout, stderr }),
      );
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    check(result.stdout);
  });

  it('ends quietly when the reader of its output stops early (sparring plan | head)', async () => {
    const child = spawn(process.execPath, ['bin/sparring.js', ...SKOLVERKET, '--format', 'text'], { cwd: ROOT });
    // Closed before the plan is written: its first write meets a pipe nobody reads.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((done) => child.on('close', (exitCode) => done(exitCode)));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('sparring card', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sparring-card-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--list names every card, one per line', async () => {
    const { code, out } = await sparring('card', '--list');
    expect(code).toBe(0);
    expect(out.trimEnd().split('\n')).toEqual(expect.arrayContaining(['practice-prompt', 'sparring-agenda', 'pre-visit-form', 'ido-art-draft', 'summary', 'welcome']));
    expect(out.trimEnd().split('\n')).toHaveLength(CARD_NAMES.length);
  });

  it('prints the Teams card for realistic sample data in the language asked for', async () => {
    const { code, out, err } = await sparring('card', 'questionnaire', '--locale', 'sv');
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const card = JSON.parse(out) as { type: string; version: string; actions: Array<{ title: string }> };
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(card.actions[0]?.title).toBe('Skicka enkäten');
  });

  it('prints the Slack message and its forms with --channel slack', async () => {
    const { code, out } = await sparring('card', 'practice-prompt', '--channel', 'slack', '--locale', 'en');
    expect(code).toBe(0);
    const slack = JSON.parse(out) as { blocks: Array<{ type: string }>; modals: Record<string, unknown> };
    expect(slack.blocks[1]).toMatchObject({ type: 'header' });
    expect(Object.keys(slack.modals)).toEqual(['done']);
  });

  it('renders the caller’s own data from --data', async () => {
    const file = join(dir, 'error.json');
    writeFileSync(file, JSON.stringify({ code: 'wrongRole', choices: ['leader', 'facilitator'] }));
    const { code, out } = await sparring('card', 'error', '--data', file, '--locale', 'en');
    expect(code).toBe(0);
    expect(out).toContain("Your role doesn't allow that.");
    expect(out).toContain('You can use: leader, facilitator');
  });

  it('names every field of --data that does not fit the card, and prints no card', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ code: 'nope', choices: [1] }));
    const { code, out, err } = await sparring('card', 'error', '--data', file);
    expect({ code, out }).toEqual({ code: 1, out: '' });
    expect(err).toContain(`${file}: passer ikke til kortet error:`);
    expect(err).toMatch(/^ {2}code: /m);
    expect(err).toMatch(/^ {2}choices\.0: /m);
  });

  it('says so when --data is not JSON', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ not json');
    const { code, err } = await sparring('card', 'help', '--data', file);
    expect(code).toBe(1);
    expect(err).toContain(`${file}: kan ikke læse data`);
  });
});
