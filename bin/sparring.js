#!/usr/bin/env node
// The CLI runs from TypeScript source through tsx, so an edited programme or rule needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
