// Test doubles for the small ports that have no wire protocol: a clock that only moves when told, a logger that remembers.
import type { Clock, Logger } from '../../src/app/ports.ts';

export function fakeClock(start: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (iso) => (now = new Date(iso)),
    advance: (ms) => (now = new Date(now.getTime() + ms)),
  };
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

export function memoryLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (fields: Record<string, unknown>, message: string) => void entries.push({ level, fields, message });
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}
