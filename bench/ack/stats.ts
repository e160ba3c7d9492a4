// The arithmetic of the figures (percentiles, medians, rounding) and the machine's load average.
import { loadavg } from 'node:os';

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
export const round = (n: number, digits = 1) => Number(n.toFixed(digits));
export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
export const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
