// Timing: medians and percentiles, and a number of tasks run by concurrent workers with each one's latency.
import { performance } from 'node:perf_hooks';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export interface WriteStats {
  perSec: number;
  p50: number;
  p99: number;
  /** CPU µs per operation, this process and the server, over the timed phase. */
  cpu?: { client: number; server: number };
}

/** `count` tasks taken in turn from a shared counter by `workers` concurrent workers; per-task latency. */
export async function timedWorkers(count: number, workers: number, task: (i: number) => Promise<void>): Promise<WriteStats> {
  const latencies = new Float64Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const t0 = performance.now();
      await task(i);
      latencies[i] = performance.now() - t0;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: workers }, worker));
  const wall = performance.now() - start;
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return { perSec: (count / wall) * 1000, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}
