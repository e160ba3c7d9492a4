// How the report writes its figures: counts, milliseconds, shares, and one aligned line per figure.
import os from 'node:os';

export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
export const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : Math.round(n).toLocaleString('en-US')} ms` : '–');
export const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
export const line = (label: string, figure: string, target = '', note = '') => console.log(`  ${label.padEnd(28)}${figure.padEnd(20)}${target.padEnd(18)}${note}`.trimEnd());
export const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
