import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOCALES } from '../../domain/programme/schema.ts';
import { renderAdaptiveCard, renderSlackCard } from '../render.ts';
import { sampleData } from '../samples.ts';
import { slackAsText } from '../slack/as-text.ts';
import { CARD_NAMES } from '../view-models.ts';
import { galleryHtml, type GalleryEntry } from './html.ts';

/**
 * `npm run cards:preview [dir]`: the card gallery, every card in every locale with its sample
 * data, written as dir/index.html (default cards/preview/) with the Adaptive Cards renderer
 * beside it, so the page opens from disk without a network.
 */

export const DEFAULT_OUT_DIR = 'cards/preview';
const SCRIPT_NAME = 'adaptivecards.min.js';

function rendererBundle(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('adaptivecards/package.json')), 'dist', SCRIPT_NAME);
}

export function galleryEntries(): GalleryEntry[] {
  const entries: GalleryEntry[] = [];
  for (const name of CARD_NAMES) {
    for (const locale of LOCALES) {
      const data = sampleData(name, locale);
      const slack = renderSlackCard(name, data, { locale });
      entries.push({ name, locale, adaptive: renderAdaptiveCard(name, data, { locale }), slack, slackText: slackAsText(slack) });
    }
  }
  return entries;
}

export function writeGallery(outDir: string): { file: string; cards: number } {
  const entries = galleryEntries();
  mkdirSync(outDir, { recursive: true });
  const file = resolve(outDir, 'index.html');
  writeFileSync(file, galleryHtml(entries, { scriptSrc: SCRIPT_NAME, title: 'Sparringsbot cards' }));
  copyFileSync(rendererBundle(), join(outDir, SCRIPT_NAME));
  return { file, cards: entries.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { file, cards } = writeGallery(process.argv[2] ?? DEFAULT_OUT_DIR);
  console.log(`${file} ${cards} cards`);
}
