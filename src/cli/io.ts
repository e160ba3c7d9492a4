export interface CliIo {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

/** Misuse of the command line: reported as one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
