// Types of run.js for the TypeScript that imports it (bench/cli.ts).
export function run(name: string): Promise<unknown>;
export function buildIsCurrent(): boolean;
