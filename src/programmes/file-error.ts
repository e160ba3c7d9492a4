// Apart from the reader, so that code which only reports a broken programme (main.ts) does not load the YAML parser.
/** One or more broken programme files; each line reads "file: path: reason". */
export class ProgrammeFileError extends Error {
  readonly lines: string[];
  constructor(file: string, problems: string[]);
  constructor(lines: string[]);
  constructor(fileOrLines: string | string[], problems: string[] = []) {
    // One problem is one line, whatever a message from a library brings along.
    const lines = (typeof fileOrLines === 'string' ? problems.map((p) => `${fileOrLines}: ${p}`) : fileOrLines).map(oneLine);
    super(lines.join('\n'));
    this.name = 'ProgrammeFileError';
    this.lines = lines;
  }
}

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ');
