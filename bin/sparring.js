#!/usr/bin/env node
// The compiled CLI (dist/cli.js), or its TypeScript source through tsx when there is no current build: see run.js.
import { run } from './run.js';

await run('cli');
