import type { SeenActivities } from '../../app/ports.ts';

/** Seen activity ids in memory, for one process (the embedded store): the same answers as the Redis version. */
export class MemorySeenActivities implements SeenActivities {
  private readonly now: () => number;
  /** key → when it may be seen again (ms), oldest first: every caller uses one TTL, so the front expires first. */
  private readonly until = new Map<string, number>();

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  async firstTime(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    this.forgetExpired(now);
    const until = this.until.get(key);
    if (until !== undefined && until > now) return false;
    this.until.delete(key);
    this.until.set(key, now + ttlMs);
    return true;
  }

  async close(): Promise<void> {}

  private forgetExpired(now: number): void {
    for (const [key, until] of this.until) {
      if (until > now) return;
      this.until.delete(key);
    }
  }
}
