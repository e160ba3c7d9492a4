// Small statistics over lists of milliseconds, for the report.
export const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!);
export const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
export const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
export const mean = (xs: number[]) => (xs.length === 0 ? NaN : sum(xs) / xs.length);
