// The Teams app package: the manifest in manifests/teams/ against the official JSON schema that
// @microsoft/app-manifest ships (read from node_modules, never downloaded), the zip the script writes,
// its one-line refusals, and the two icons.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ZIP, drawIcons, manifestTeamsCommand, packageFiles, SCHEMA_VERSION, schemaProblems, TEAMS_DIR, type TemplateValues } from '../../src/cli/commands/manifest-teams.ts';

const APP_ID = '3f2b8c1d-7e4a-4b9c-8d2e-1a5f6c7b8d9e';
const VALUES: TemplateValues = { MICROSOFT_APP_ID: APP_ID, PUBLIC_URL: 'https://sparring.example.org', PUBLIC_HOST: 'sparring.example.org', VERSION: '1.2.3' };
const ENV = { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret', PUBLIC_URL: 'https://bot.skole.example/' };
const COMMANDS = ['help', 'plan', 'status', 'hours', 'agenda', 'summary', 'calendar', 'role', 'handleplan', 'reminders'];

// An independent reading of the official schemas, configured as Microsoft's own tooling reads them.
const SCHEMA_DIR = dirname(createRequire(import.meta.url).resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${SCHEMA_VERSION}/MicrosoftTeams.schema.json`));
function officialValidator(file: string) {
  const ajv = new AjvDraft04.default({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  addFormats.default(ajv, ['uri', 'email', 'regex']);
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')));
}
const validManifest = officialValidator('MicrosoftTeams.schema.json');
const validLocalization = officialValidator('MicrosoftTeams.Localization.schema.json');

type Manifest = {
  manifestVersion: string;
  id: string;
  version: string;
  validDomains: string[];
  developer: Record<string, string>;
  localizationInfo: { defaultLanguageTag: string; additionalLanguages: Array<{ languageTag: string; file: string }> };
  bots: Array<{ botId: string; scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }> }>;
};
const json = (bytes: Uint8Array | undefined) => JSON.parse(Buffer.from(bytes!).toString('utf8'));
const filled = packageFiles(VALUES);
const manifest = json(filled.get('manifest.json')) as Manifest;

const temp = mkdtempSync(join(tmpdir(), 'manifest-teams-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function run(env: Record<string, string>, zip: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = manifestTeamsCommand({ out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => err.push(t) } }, env, zip);
  return { code, out: out.join(''), err: err.join('') };
}

describe('the Teams manifest template', () => {
  it('is written for the newest manifest version the schema package ships', () => {
    const versions = readdirSync(dirname(SCHEMA_DIR))
      .filter((v) => /^v\d+\.\d+$/.test(v))
      .map((v) => v.slice(1))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(versions.at(-1)).toBe(SCHEMA_VERSION);
    expect(manifest.manifestVersion).toBe(SCHEMA_VERSION);
    for (const file of ['manifest.json', 'en.json', 'sv.json']) expect(JSON.parse(readFileSync(join(TEAMS_DIR, file), 'utf8')).$schema).toContain(`/teams/v${SCHEMA_VERSION}/`);
  });

  it('with its placeholders filled, validates against the official schema, and so do its localization files', () => {
    expect(validManifest(manifest), JSON.stringify(validManifest.errors)).toBe(true);
    for (const { file } of manifest.localizationInfo.additionalLanguages) {
      const localization = json(filled.get(file));
      expect(validLocalization(localization), `${file}: ${JSON.stringify(validLocalization.errors)}`).toBe(true);
    }
    expect(JSON.stringify([...filled.keys()])).not.toContain('${{');
    expect([...filled.values()].some((bytes) => Buffer.from(bytes).includes('${{'))).toBe(false);
  });

  it('is checked for real: a wrong version, a bot id that is no GUID or an unknown field fails the schema', () => {
    expect(validManifest({ ...manifest, manifestVersion: '1.29' })).toBe(false);
    expect(schemaProblems('manifest', { ...manifest, manifestVersion: '1.29' }).join()).toContain('/manifestVersion');
    expect(schemaProblems('manifest', { ...manifest, bots: [{ ...manifest.bots[0], botId: 'not-a-guid' }] }).join()).toContain('/bots/0/botId');
    expect(schemaProblems('manifest', { ...manifest, colour: 'teal' })).not.toEqual([]);
    expect(schemaProblems('localization', { 'name.short': 'x', 'description.short': 'y', 'description.full': 'z', 'bots[0].commandLists[5].commands[0].title': 'help' })).not.toEqual([]);
  });

  it('has the bot in personal, team and group chats with the commands in Danish, English and Swedish', () => {
    const [bot] = manifest.bots;
    expect(bot!.botId).toBe(APP_ID);
    expect(manifest.id).toBe(APP_ID);
    expect(bot!.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot!.commandLists).toHaveLength(1);
    expect(bot!.commandLists[0]!.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot!.commandLists[0]!.commands.map((c) => c.title)).toEqual(COMMANDS);
    expect(manifest.localizationInfo.defaultLanguageTag).toBe('da');
    expect(manifest.localizationInfo.additionalLanguages.map((l) => l.languageTag)).toEqual(['en', 'sv']);

    // Each language's descriptions start with the help card's own text, so the two never tell different stories.
    const help = (locale: string) => JSON.parse(readFileSync(join(import.meta.dirname, `../../cards/locales/${locale}.json`), 'utf8')).help.commands as Record<string, string>;
    bot!.commandLists[0]!.commands.forEach((c) => expect(c.description.startsWith(help('da')[c.title]!), `manifest.json: ${c.title}`).toBe(true));
    for (const { languageTag, file } of manifest.localizationInfo.additionalLanguages) {
      const strings = json(filled.get(file)) as Record<string, string>;
      COMMANDS.forEach((command, i) => {
        expect(strings[`bots[0].commandLists[0].commands[${i}].title`]).toBe(command);
        expect(strings[`bots[0].commandLists[0].commands[${i}].description`]?.startsWith(help(languageTag)[command]!), `${file}: ${command}`).toBe(true);
      });
    }
  });
});

describe('npm run manifest:teams', () => {
  it('writes the zip with the manifest, its localization files and both icons at the root, filled from the environment', () => {
    const zip = join(temp, 'out', 'app.zip');
    const result = run(ENV, zip);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe(`${zip}\n`);
    const files = unzipSync(readFileSync(zip));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'en.json', 'manifest.json', 'outline.png', 'sv.json']);

    const built = json(files['manifest.json']) as Manifest;
    expect(validManifest(built), JSON.stringify(validManifest.errors)).toBe(true);
    for (const file of ['en.json', 'sv.json']) expect(validLocalization(json(files[file])), file).toBe(true);
    expect(built.id).toBe(APP_ID);
    expect(built.bots[0]!.botId).toBe(APP_ID);
    expect(built.validDomains).toEqual(['bot.skole.example']);
    expect(built.developer.privacyUrl).toBe('https://bot.skole.example/privacy');
    expect(built.version).toBe(JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version);
    for (const icon of ['color.png', 'outline.png']) expect(Buffer.from(files[icon]!).equals(readFileSync(join(TEAMS_DIR, icon)))).toBe(true);
  });

  it.each([
    ['nothing set', {}, ['MICROSOFT_APP_ID', 'PUBLIC_URL']],
    ['no public URL', { MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret' }, ['PUBLIC_URL']],
    ['no app id', { PUBLIC_URL: 'https://bot.skole.example' }, ['MICROSOFT_APP_ID']],
    ['an app id that is no GUID', { ...ENV, MICROSOFT_APP_ID: 'sparringsbot' }, ['MICROSOFT_APP_ID']],
    ['a URL without TLS', { ...ENV, PUBLIC_URL: 'http://bot.skole.example' }, ['PUBLIC_URL']],
  ])('refuses with %s: one line naming the variable, exit 1, no zip', (_, env, named) => {
    const zip = join(temp, 'refused', 'app.zip');
    const result = run(env, zip);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err.trimEnd().split('\n')).toHaveLength(1);
    for (const name of named) expect(result.err).toContain(name);
    for (const other of ['MICROSOFT_APP_ID', 'PUBLIC_URL'].filter((n) => !named.includes(n))) expect(result.err).not.toContain(other);
    expect(existsSync(zip)).toBe(false);
  });

  it('as a process, exits with 1 and one line on stderr when a variable is missing', () => {
    const before = existsSync(DEFAULT_ZIP) ? readFileSync(DEFAULT_ZIP) : undefined;
    const root = join(import.meta.dirname, '../..');
    // Run from an empty folder, so that a developer's own .env is not read.
    const child = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'src/cli/commands/manifest-teams.ts')], {
      cwd: temp,
      env: { PATH: process.env.PATH ?? '', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret' },
      encoding: 'utf8',
    });
    expect(child.status).toBe(1);
    expect(child.stdout).toBe('');
    expect(child.stderr.trimEnd().split('\n')).toEqual([expect.stringContaining('PUBLIC_URL')]);
    expect(existsSync(DEFAULT_ZIP) ? readFileSync(DEFAULT_ZIP) : undefined).toEqual(before);
  });
});

/** The pixels of an 8-bit RGBA PNG, undoing each row's filter. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8, 13)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      rgba[y * stride + x] = (raw[y * (stride + 1) + 1 + x]! + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

describe('the Teams icons', () => {
  const color = decodePng(readFileSync(join(TEAMS_DIR, 'color.png')));
  const outline = decodePng(readFileSync(join(TEAMS_DIR, 'outline.png')));
  const pixels = (image: { rgba: Uint8Array }) => Array.from({ length: image.rgba.length / 4 }, (_, i) => [...image.rgba.subarray(i * 4, i * 4 + 4)]);

  it('are a 192×192 full-colour icon and a 32×32 outline icon', () => {
    expect([color.width, color.height, outline.width, outline.height]).toEqual([192, 192, 32, 32]);
    expect(pixels(color).every(([, , , alpha]) => alpha === 255)).toBe(true);
  });

  it('has an outline that is white on transparent only', () => {
    const all = pixels(outline);
    expect(all.every(([r, g, b, alpha]) => alpha === 0 || (r === 255 && g === 255 && b === 255))).toBe(true);
    expect(all.some(([, , , alpha]) => alpha === 0)).toBe(true);
    expect(all.some(([, , , alpha]) => alpha === 255)).toBe(true);
  });

  it('are what the kept generator draws (npx tsx src/cli/commands/manifest-teams.ts --icons)', () => {
    const drawn = drawIcons();
    expect(decodePng(drawn['color.png']).rgba).toEqual(color.rgba);
    expect(decodePng(drawn['outline.png']).rgba).toEqual(outline.rgba);
  });
});
