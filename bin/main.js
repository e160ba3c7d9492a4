#!/usr/bin/env node
// The compiled server (dist/main.js), or its TypeScript source through tsx when there is no current build: see run.js.
import { run } from './run.js';

await run('main');
