import type { Programme } from '../domain/programme/schema.ts';
import { checkedProgrammes } from '../programmes/built-in.ts';

/**
 * The built-in programmes: as the build checked them when no file changed since, without loading the YAML
 * parser, the schema or the card checker; else loaded from their files (which may throw ProgrammeFileError).
 */
export async function builtInProgrammes(): Promise<Map<string, Programme>> {
  return checkedProgrammes() ?? (await import('../programmes/load.ts')).loadProgrammes();
}
