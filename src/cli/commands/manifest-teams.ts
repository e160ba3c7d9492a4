// `npm run manifest:teams`: the Teams app package to upload. Fills MICROSOFT_APP_ID and PUBLIC_URL into
// manifests/teams/ (manifest, localization files, icons), checks the result against the official JSON
// schema shipped in @microsoft/app-manifest and writes manifests/teams/build/sparringsbot-teams.zip.
// `--icons` redraws the two committed icons (they are made here, once, with no image tool).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { zipSync } from 'fflate';
import { type Config, ConfigError, loadConfig } from '../../config.ts';
import type { CliIo } from '../io.ts';

export const TEAMS_DIR = resolve(import.meta.dirname, '../../../manifests/teams');
export const DEFAULT_ZIP = join(TEAMS_DIR, 'build', 'sparringsbot-teams.zip');
/** The manifest version the template is written for: the newest numbered schema the package ships. */
export const SCHEMA_VERSION = '1.30';

/** A problem with the values or the template: one line for the person running the script. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type SchemaKind = 'manifest' | 'localization';

const SCHEMA_FILES: Record<SchemaKind, string> = { manifest: 'MicrosoftTeams.schema.json', localization: 'MicrosoftTeams.Localization.schema.json' };
const validators = new Map<SchemaKind, ReturnType<InstanceType<typeof AjvDraft04.default>['compile']>>();

/** The path of the official schema inside @microsoft/app-manifest (draft-04, as Microsoft's own tooling reads it). */
export function schemaPath(kind: SchemaKind): string {
  return createRequire(import.meta.url).resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${SCHEMA_VERSION}/${SCHEMA_FILES[kind]}`);
}

/** Every way `json` breaks the official schema, as `path message` lines; empty when it is valid. */
export function schemaProblems(kind: SchemaKind, json: unknown): string[] {
  let validate = validators.get(kind);
  if (!validate) {
    // unicodeRegExp off: the localization schema has patterns (a lone `]`) that only non-unicode regexps accept.
    const ajv = new AjvDraft04.default({ allErrors: true, strictTypes: false, unicodeRegExp: false });
    addFormats.default(ajv, ['uri', 'email', 'regex']);
    validate = ajv.compile(JSON.parse(readFileSync(schemaPath(kind), 'utf8')));
    validators.set(kind, validate);
  }
  return validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

/** The values the template's `${{NAME}}` placeholders take. */
export interface TemplateValues {
  MICROSOFT_APP_ID: string;
  /** The https address, no trailing slash. */
  PUBLIC_URL: string;
  /** PUBLIC_URL's host name, for validDomains. */
  PUBLIC_HOST: string;
  VERSION: string;
}

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/** The template's values from the configuration; every missing or unusable variable is named in one line. */
export function templateValues(config: Config): TemplateValues {
  const missing: string[] = [];
  if (!config.MICROSOFT_APP_ID) missing.push("MICROSOFT_APP_ID (the bot's Microsoft App id from its Azure Bot registration)");
  if (!config.PUBLIC_URL) missing.push('PUBLIC_URL (the https address where Teams reaches this server, e.g. https://sparring.skole.dk)');
  if (missing.length > 0) throw new ManifestError(`not set: ${missing.join('; ')}; see .env.example`);
  const appId = config.MICROSOFT_APP_ID!;
  if (!GUID.test(appId)) throw new ManifestError(`MICROSOFT_APP_ID must be the Azure Bot's Microsoft App id, a GUID such as 0b7f2c1e-5a3d-4e8f-9c6b-2d1a0e9f8b7c; got ${appId}`);
  const url = new URL(config.PUBLIC_URL!);
  const version = (JSON.parse(readFileSync(join(TEAMS_DIR, '../../package.json'), 'utf8')) as { version: string }).version;
  return { MICROSOFT_APP_ID: appId, PUBLIC_URL: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, PUBLIC_HOST: url.hostname, VERSION: version };
}

function fill(json: Json, values: TemplateValues, file: string): Json {
  if (typeof json === 'string') {
    return json.replace(/\$\{\{(\w+)\}\}/g, (_, name: string) => {
      if (!(name in values)) throw new ManifestError(`${file}: unknown placeholder \${{${name}}}`);
      return values[name as keyof TemplateValues];
    });
  }
  if (Array.isArray(json)) return json.map((item) => fill(item, values, file));
  if (json && typeof json === 'object') return Object.fromEntries(Object.entries(json).map(([key, value]) => [key, fill(value, values, file)]));
  return json;
}

/**
 * The package's files by name: manifest.json with the values filled in, the localization files and
 * icons it names, each checked against its schema. The zip holds exactly these, at its root.
 */
export function packageFiles(values: TemplateValues, dir = TEAMS_DIR): Map<string, Uint8Array> {
  const readJson = (name: string) => fill(JSON.parse(readFileSync(join(dir, name), 'utf8')) as Json, values, name);
  const manifest = readJson('manifest.json') as { localizationInfo?: { additionalLanguages?: Array<{ file: string }> }; icons: { color: string; outline: string } };
  const files = new Map<string, Uint8Array>();
  const add = (name: string, kind: SchemaKind, json: Json) => {
    const problems = schemaProblems(kind, json);
    if (problems.length > 0) throw new ManifestError(`${name} does not fit the Teams ${kind} schema v${SCHEMA_VERSION}: ${problems.join('; ')}`);
    files.set(name, Buffer.from(`${JSON.stringify(json, null, 2)}\n`));
  };
  add('manifest.json', 'manifest', manifest as Json);
  for (const { file } of manifest.localizationInfo?.additionalLanguages ?? []) add(file, 'localization', readJson(file));
  for (const icon of [manifest.icons.color, manifest.icons.outline]) files.set(icon, readFileSync(join(dir, icon)));
  return files;
}

/** Builds the zip from the configuration and returns its path. */
export function buildTeamsPackage(config: Config, zipFile = DEFAULT_ZIP): string {
  const files = packageFiles(templateValues(config));
  mkdirSync(dirname(zipFile), { recursive: true });
  writeFileSync(zipFile, zipSync(Object.fromEntries(files), { level: 9 }));
  return zipFile;
}

/** The script: 0 and the zip's path, or 1 and one line naming what to fix. `env` defaults to the process's. */
export function manifestTeamsCommand(io: CliIo, env?: Record<string, string | undefined>, zipFile = DEFAULT_ZIP): number {
  try {
    const file = buildTeamsPackage(loadConfig(env), zipFile);
    const shown = relative(process.cwd(), file);
    io.out.write(`${shown.startsWith('..') || isAbsolute(shown) ? file : shown}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ManifestError || error instanceof ConfigError)) throw error;
    io.err.write(`${error.message}\n`);
    return 1;
  }
}

// The icons: two interlocking rings (two colleagues in dialogue), white, drawn with 4×4 supersampling.

const ACCENT = [0x1b, 0x7f, 0x79] as const;

/** How much of the pixel at (px, py) the rings cover, 0..1; the symbol spans `size` pixels, centred. */
function ringCoverage(px: number, py: number, canvas: number, size: number, stroke: number): number {
  const scale = size / 2;
  let inside = 0;
  for (let i = 0; i < 16; i++) {
    const x = (px + ((i % 4) + 0.5) / 4 - canvas / 2) / scale;
    const y = (py + (Math.floor(i / 4) + 0.5) / 4 - canvas / 2) / scale;
    const onRing = (cx: number) => {
      const d = Math.hypot(x - cx, y);
      return d <= 0.62 && d >= 0.62 - stroke;
    };
    if (onRing(-0.36) || onRing(0.36)) inside++;
  }
  return inside / 16;
}

/** The two icons as PNG files: color.png 192×192 (white rings on the accent colour), outline.png 32×32 (white on transparent). */
export function drawIcons(): { 'color.png': Buffer; 'outline.png': Buffer } {
  const draw = (canvas: number, pixel: (coverage: number) => readonly number[], size: number, stroke: number) => {
    const rgba = new Uint8Array(canvas * canvas * 4);
    for (let y = 0; y < canvas; y++) for (let x = 0; x < canvas; x++) rgba.set(pixel(ringCoverage(x, y, canvas, size, stroke)), (y * canvas + x) * 4);
    return encodePng(canvas, canvas, rgba);
  };
  const blend = (c: number) => [...ACCENT.map((v) => Math.round(v + (255 - v) * c)), 255];
  return { 'color.png': draw(192, blend, 104, 0.16), 'outline.png': draw(32, (c) => [255, 255, 255, Math.round(255 * c)], 31, 0.2) };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A minimal PNG: 8-bit RGBA, one IDAT, no filtering. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const stride = width * 4;
  const rows = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) rows.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, filter method 0, no interlace
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (process.argv[2] === '--icons') {
    for (const [name, png] of Object.entries(drawIcons())) writeFileSync(join(TEAMS_DIR, name), png);
  } else {
    // Like `node --env-file-if-exists=.env`: variables already set win over the file.
    if (existsSync('.env')) process.loadEnvFile('.env');
    process.exitCode = manifestTeamsCommand({ out: process.stdout, err: process.stderr });
  }
}
