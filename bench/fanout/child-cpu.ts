// The CPU a child process (a worker, the fake Bot Connector) has used, read from outside it.
import { readFileSync } from 'node:fs';

/** CPU time (ms) a live child has used, from /proc; undefined off Linux. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / 100) * 1000; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}
