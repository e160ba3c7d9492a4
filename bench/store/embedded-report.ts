// The embedded store's figures: its lines of the summary and its keys of the last line's JSON.
import os from 'node:os';
import { EMBEDDED_TIMED, type EmbeddedRun } from './embedded-phase.ts';

export function printEmbedded({ windows, amortizedMs, written }: EmbeddedRun) {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  console.log(`Embedded store: the same replies into a data file and its journal (${os.tmpdir()}), one at a time; ${EMBEDDED_TIMED} writes timed at each size`);
  for (const w of windows) {
    console.log(
      `  at ${w.at.toLocaleString('en-US')} replies (${mb(w.fileBytes)})`.padEnd(32) +
        `write ${w.p50Ms.toFixed(3)} ms (mean ${w.meanMs.toFixed(3)}, p99 ${w.p99Ms.toFixed(3)})`.padEnd(44) +
        `the data file written whole: ${w.rewriteMs.toFixed(1)} ms (what every write cost before the journal)`,
    );
  }
  console.log(`  all ${written.toLocaleString('en-US')} writes, the data file written whole whenever the journal outgrew it: ${amortizedMs.toFixed(3)} ms a write`);
}

export function embeddedFigures({ windows, amortizedMs }: EmbeddedRun) {
  const [at1k, at10k] = windows;
  const ms = (n: number | undefined) => Number((n ?? NaN).toFixed(3));
  return {
    embeddedWriteMsAt1k: ms(at1k?.p50Ms),
    embeddedWriteMsAt10k: ms(at10k?.p50Ms),
    embeddedAmortizedWriteMs: ms(amortizedMs),
    embeddedRewriteMsAt1k: ms(at1k?.rewriteMs),
    embeddedRewriteMsAt10k: ms(at10k?.rewriteMs),
  };
}
