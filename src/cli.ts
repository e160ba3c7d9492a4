// Entry point of the `sparring` command; all logic is in cli/ so tests can run it in-process.
import { runCli } from './cli/run.ts';

process.exitCode = await runCli(process.argv.slice(2), { out: process.stdout, err: process.stderr });
