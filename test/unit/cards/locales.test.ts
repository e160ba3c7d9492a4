import { readdirSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../../src/cards/strings.ts';
import { CARD_NAMES } from '../../../src/cards/view-models.ts';
import { LOCALES } from '../../../src/domain/programme/schema.ts';
import { TEMPLATES_DIR } from '../../../src/cards/render.ts';

type Tree = { [key: string]: string | Tree };
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree)
    .flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)))
    .sort();
}
type Node = { type: number; value?: unknown; options?: Record<string, { value: Node[] }> };
/** The ICU arguments a message uses, e.g. {count} and {closesAt, date, day}, from the parser's own tree. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (nodes: Node[]) => {
    for (const node of nodes) {
      if (node.type !== 0 && node.type !== 7 && typeof node.value === 'string') names.add(node.value); // 0 literal, 7 '#'
      for (const option of Object.values(node.options ?? {})) walk(option.value);
    }
  };
  walk(new IntlMessageFormat(message, 'da', undefined, { ignoreTag: true }).getAst() as Node[]);
  return [...names].sort();
}

describe('card strings', () => {
  const [da, ...others] = LOCALES.map((locale) => [locale, catalogue(locale) as unknown as Tree] as const);

  it.each(others)('%s has exactly the Danish messages, with the same arguments', (_locale, strings) => {
    expect(keys(strings)).toEqual(keys(da![1]));
    for (const key of keys(da![1])) {
      const get = (tree: Tree) => key.split('.').reduce<string | Tree>((node, part) => (node as Tree)[part]!, tree) as string;
      expect(argumentsOf(get(strings)), key).toEqual(argumentsOf(get(da![1])));
    }
  });

  it('every card has a template and its own strings', () => {
    expect(
      readdirSync(TEMPLATES_DIR)
        .map((f) => f.replace(/\.json$/, ''))
        .sort(),
    ).toEqual([...CARD_NAMES].sort());
    for (const name of CARD_NAMES) expect(Object.keys(da![1]), name).toContain(name);
  });
});
