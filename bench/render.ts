// `npm run bench:render`: the CPU a rendered card costs, in this one process (no Redis, no network).
// (1) the `status` card for Slack, as `/sparring status` renders it, COUNT times; (2) the same for Teams;
// (3) every card in every locale for both channels (the samples), ROUNDS passes. Each after a warm-up,
// so what it measures is the steady state of a running server, not the first render of a card.
// `-- --count N` changes COUNT. Last line: one JSON object of the figures.
import { performance } from 'node:perf_hooks';
import { CHANNELS, type Channel, renderCard } from '../src/cards/render.ts';
import { sampleData } from '../src/cards/samples.ts';
import { CARD_NAMES, type CardName } from '../src/cards/view-models.ts';
import { LOCALES } from '../src/domain/programme/schema.ts';

const countArg = process.argv.indexOf('--count');
const COUNT = countArg > 0 ? Number(process.argv[countArg + 1]) : 2_000;
const ROUNDS = 5;
const TIME_ZONE = 'Europe/Copenhagen';

const round = (n: number, digits = 3) => Number(n.toFixed(digits));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timeRenders(name: CardName, channel: Channel, count: number): number {
  const data = sampleData(name, 'da');
  const start = performance.now();
  for (let i = 0; i < count; i++) renderCard(name, data, channel, { locale: 'da', timeZone: TIME_ZONE });
  return (performance.now() - start) / count;
}

function allCards(): { ms: number; renders: number } {
  const inputs = CARD_NAMES.flatMap((name) => LOCALES.flatMap((locale) => CHANNELS.map((channel) => ({ name, locale, channel, data: sampleData(name, locale) }))));
  const start = performance.now();
  for (const { name, locale, channel, data } of inputs) renderCard(name, data, channel, { locale, timeZone: TIME_ZONE });
  return { ms: performance.now() - start, renders: inputs.length };
}

// A warm-up: the first renders load templates and catalogues and let V8 optimise.
allCards();
timeRenders('status', 'slack', Math.min(COUNT, 200));
timeRenders('status', 'teams', Math.min(COUNT, 200));

const heapBefore = process.memoryUsage().heapUsed;
const slack = median(Array.from({ length: ROUNDS }, () => timeRenders('status', 'slack', Math.ceil(COUNT / ROUNDS))));
const teams = median(Array.from({ length: ROUNDS }, () => timeRenders('status', 'teams', Math.ceil(COUNT / ROUNDS))));
const passes = Array.from({ length: ROUNDS }, allCards);
const all = median(passes.map((p) => p.ms / p.renders));
const heapAfter = process.memoryUsage().heapUsed;

console.log(`Card rendering in one process (${COUNT} renders of each status card, medians of ${ROUNDS} rounds)`);
console.log(`  status card for Slack (what /sparring status renders): ${round(slack)} ms a render`);
console.log(`  status card for Teams:                                 ${round(teams)} ms a render`);
console.log(`  every card × ${LOCALES.length} locales × ${CHANNELS.length} channels (${passes[0]!.renders} renders a pass): ${round(all)} ms a render on average`);
console.log(`  heap used: ${round(heapBefore / 1e6, 1)} MB before the timed runs, ${round(heapAfter / 1e6, 1)} MB after`);
console.log(JSON.stringify({ count: COUNT, statusSlackMs: round(slack), statusTeamsMs: round(teams), allCardsMs: round(all), allCardsRenders: passes[0]!.renders }));
