import { loadProgrammeFileLoadingChecks, ProgrammeFileError } from '../../programmes/read.ts';
import type { CliIo } from '../io.ts';
import type { Messages } from '../../i18n/messages.ts';
import { UsageError } from '../io.ts';

/** `sparring validate <file>`: 0 when the file is a valid programme, 1 with every problem when not. */
export async function validateCommand(args: string[], io: CliIo, t: Messages): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0) throw new UsageError(t.cli.validateUsage);
  try {
    const programme = await loadProgrammeFileLoadingChecks(file);
    const activities = programme.phases.reduce((n, p) => n + p.activities.length, 0);
    io.out.write(`${t.cli.validOk(file, programme.id, activities)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ProgrammeFileError)) throw error;
    io.err.write(`${error.message}\n`);
    return 1;
  }
}
