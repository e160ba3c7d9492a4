// The boundaries of the design note, checked on the source: the domain stays pure, process.env has one reader.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const imports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

describe('architecture', () => {
  it('domain/ imports only domain/ and pure libraries: no I/O, no SDK', () => {
    const pure = new Set(['zod', 'luxon', 'date-holidays']);
    for (const file of files(join(SRC, 'domain'))) {
      for (const spec of imports(file)) {
        const ok = spec.startsWith('.') ? !relative(join(SRC, 'domain'), join(file, '..', spec)).startsWith('..') : pure.has(spec);
        expect(ok, `${relative(SRC, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it('app/ imports only domain/, its own ports and pure libraries', () => {
    for (const file of files(join(SRC, 'app'))) {
      for (const spec of imports(file)) {
        const target = relative(SRC, join(file, '..', spec));
        const ok = spec.startsWith('.') ? target.startsWith('domain/') || target.startsWith('app/') : ['zod', 'luxon'].includes(spec);
        expect(ok, `${relative(SRC, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it('only store/redis imports ioredis', () => {
    const users = files(SRC).filter((f) => imports(f).includes('ioredis')).map((f) => relative(SRC, f));
    expect(users.length).toBeGreaterThan(0);
    expect(users.filter((f) => !f.startsWith('store/redis/'))).toEqual([]);
  });

  it('only channels/teams imports botbuilder', () => {
    const users = files(SRC).filter((f) => imports(f).some((spec) => spec.startsWith('botbuilder'))).map((f) => relative(SRC, f));
    expect(users.length).toBeGreaterThan(0);
    expect(users.filter((f) => !f.startsWith('channels/teams/'))).toEqual([]);
  });

  it('only config.ts reads process.env', () => {
    const readers = files(SRC).filter((f) => readFileSync(f, 'utf8').includes('process.env'));
    expect(readers.map((f) => relative(SRC, f))).toEqual(['config.ts']);
  });
});
