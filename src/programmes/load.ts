// Programme files read with every check, the card checker's included: what the server and the tests load.
// The reading itself is in read.ts, which code that needs no cards (the CLI's commands) uses directly.
import { checkProgrammeTemplates } from '../cards/custom-template.ts';
import type { Programme } from '../domain/programme/schema.ts';
import * as read from './read.ts';

export { BUILT_IN_DIR, PROGRAMME_FILE_LIMIT, ProgrammeFileError, TEMPLATE_FILE_LIMIT } from './read.ts';

/** Parses one programme file's text; throws ProgrammeFileError naming the file, the path and the reason. */
export function parseProgramme(text: string, file: string): Programme {
  return read.parseProgramme(text, file, checkProgrammeTemplates);
}

export function loadProgrammeFile(file: string): Programme {
  return read.loadProgrammeFile(file, checkProgrammeTemplates);
}

/**
 * Loads every `*.yaml` in the given folders; later folders may add programmes but not reuse an id.
 * Every broken file is reported at once, so a user fixes them in one pass.
 */
export function loadProgrammes(dirs: string[] = [read.BUILT_IN_DIR]): Map<string, Programme> {
  return read.loadProgrammes(dirs, checkProgrammeTemplates);
}
