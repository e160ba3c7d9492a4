import { LOCALES, type Locale } from '../domain/programme/locales.ts';
import { messagesFor, type Messages } from '../i18n/messages.ts';
import type { StoreAccess } from './commands/person-data.ts';
import { UsageError, type CliIo } from './io.ts';

type Command = (args: string[], io: CliIo, t: Messages, access: StoreAccess) => number | Promise<number>;

/**
 * Each command is loaded when it is run, with only what it needs: `sparring programmes` answers without
 * the card renderer, the card checker, the calendar's holidays or a store client being loaded.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  programmes: async () => (await import('./commands/programmes.ts')).programmesCommand,
  plan: async () => (await import('./commands/plan.ts')).planCommand,
  validate: async () => (await import('./commands/validate.ts')).validateCommand,
  card: async () => (await import('./commands/card.ts')).cardCommand,
  export: async () => (await import('./commands/person-data.ts')).exportCommand,
  erase: async () => (await import('./commands/person-data.ts')).eraseCommand,
  status: async () => (await import('./commands/status.ts')).statusCommand,
  resend: async () => (await import('./commands/status.ts')).resendCommand,
};

/** Runs one `sparring` invocation and returns its exit code: 0 ok, 1 a failed check, 2 misuse. */
export async function runCli(argv: string[], io: CliIo, access: StoreAccess = noStore): Promise<number> {
  // The locale is read before anything else so that even a misuse is answered in the user's language.
  const t = messagesFor(localeFrom(argv));
  const [command, ...args] = argv;
  try {
    if (command === 'help' || command === '--help') {
      io.out.write(`${t.cli.usage}\n`);
      return 0;
    }
    if (!command) throw new UsageError(t.cli.usage);
    const load = COMMANDS[command];
    if (!load) throw new UsageError(t.cli.unknownCommand(command, Object.keys(COMMANDS)));
    const run = await load();
    return await run(args, io, t, access);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err.write(`${error.message}\n`);
    return 2;
  }
}

/** Commands that need the store get it from the caller (src/cli.ts opens it from the configuration). */
const noStore: StoreAccess = {
  openStore() {
    throw new Error('this command needs a store, and none was given to runCli');
  },
  openOutbox() {
    throw new Error('this command needs the outbox, and none was given to runCli');
  },
};

function localeFrom(argv: string[]): Locale {
  const i = argv.findIndex((a) => a === '--locale' || a.startsWith('--locale='));
  if (i < 0) return 'da';
  const value = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  return (LOCALES as readonly string[]).includes(value ?? '') ? (value as Locale) : 'da';
}
