// The built-in programmes as the build recorded them (dist/programmes/built-in.json) are exactly what loading
// their files gives, and are used only while no file in the folder has changed: an edited, added or removed
// file, or a link, sends the caller back to the files themselves.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultTemplate } from '../../../src/cards/render.ts';
import { BUILT_IN_DIR, checkedProgrammes, writeCheckedProgrammes } from '../../../src/programmes/built-in.ts';
import { loadProgrammes } from '../../../src/programmes/load.ts';
import { programme } from '../../support/plans.ts';

const root = mkdtempSync(join(tmpdir(), 'sparring-built-in-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A copy of the built-in folder with its record written as the build writes it. */
function recordedCopy() {
  const dir = join(root, `programmes-${++n}`);
  cpSync(BUILT_IN_DIR, dir, { recursive: true });
  const file = join(root, `record-${n}.json`);
  const loaded = loadProgrammes([dir]);
  expect(writeCheckedProgrammes(loaded, dir, file)).toBe(true);
  return { dir, file, loaded };
}

describe('the built-in programmes as the build recorded them', () => {
  it('are exactly what loading the files gives, every field and default included', () => {
    const { dir, file, loaded } = recordedCopy();
    const checked = checkedProgrammes(dir, file);
    expect(checked).toBeDefined();
    expect([...checked!.keys()]).toEqual([...loaded.keys()]);
    for (const [id, p] of loaded) expect(checked!.get(id)).toStrictEqual(p);
  });

  it('are each time new objects, so a caller that changes one changes nothing for the next', () => {
    const { dir, file } = recordedCopy();
    const first = checkedProgrammes(dir, file)!;
    first.get('odense-science-boernehoejde')!.title.da = 'ændret';
    expect(checkedProgrammes(dir, file)!.get('odense-science-boernehoejde')!.title.da).not.toBe('ændret');
  });

  it('are not used once a file is edited, even to the same size', () => {
    const { dir, file } = recordedCopy();
    const yaml = join(dir, 'sevu-kollegial-sparring.yaml');
    const text = readFileSync(yaml, 'utf8');
    writeFileSync(yaml, text.replace('Kollegial sparring', 'Kollegial_sparring'));
    expect(readFileSync(yaml).length).toBe(Buffer.byteLength(text));
    expect(checkedProgrammes(dir, file)).toBeUndefined();
    writeFileSync(yaml, text);
    expect(checkedProgrammes(dir, file)).toBeDefined();
  });

  it('are not used once a file is added (a programme or a template in a folder below) or removed', () => {
    const { dir, file } = recordedCopy();
    writeFileSync(join(dir, 'new.yaml'), 'id: new\n');
    expect(checkedProgrammes(dir, file)).toBeUndefined();
    unlinkSync(join(dir, 'new.yaml'));
    mkdirSync(join(dir, 'cards'));
    writeFileSync(join(dir, 'cards', 'x.json'), '{}');
    expect(checkedProgrammes(dir, file)).toBeUndefined();
    rmSync(join(dir, 'cards'), { recursive: true });
    expect(checkedProgrammes(dir, file)).toBeDefined();
    unlinkSync(join(dir, 'stuk-vejledningsforloeb.yaml'));
    expect(checkedProgrammes(dir, file)).toBeUndefined();
  });

  it('are not used with a link in the folder, whatever it points at', () => {
    const { dir, file } = recordedCopy();
    symlinkSync(join(dir, 'sevu-kollegial-sparring.yaml'), join(dir, 'link.yml'));
    expect(checkedProgrammes(dir, file)).toBeUndefined();
  });

  it('are not there without a record, or with a record that cannot be read', () => {
    const { dir, file } = recordedCopy();
    expect(checkedProgrammes(dir, join(root, 'no-such-record.json'))).toBeUndefined();
    writeFileSync(file, '{"files":');
    expect(checkedProgrammes(dir, file)).toBeUndefined();
  });

  it('are not recorded when a programme has its own card template, whose check depends on the card code too', () => {
    const dir = join(root, `templated-${++n}`);
    mkdirSync(dir);
    const copy = structuredClone(programme('odense-science-boernehoejde')) as unknown as { id: string; phases: Array<{ activities: Array<Record<string, unknown>> }> };
    copy.id = 'odense-copy';
    copy.phases.flatMap((p) => p.activities).find((a) => a['kind'] === 'practicePrompt')!['card'] = { template: 'card.json' };
    writeFileSync(join(dir, 'odense-copy.yaml'), stringify(copy));
    writeFileSync(join(dir, 'card.json'), JSON.stringify(defaultTemplate('practice-prompt')));
    const file = join(root, `record-${n}.json`);
    expect(writeCheckedProgrammes(loadProgrammes([dir]), dir, file)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });
});
