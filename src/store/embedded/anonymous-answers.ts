// An anonymous occurrence's answers, kept in a random order: a type of their own, which the data in memory
// and the reading of the data file both use.
import type { AnonymousReply } from '../../app/ports.ts';

/**
 * An anonymous occurrence's answers by their random id, in random order: each new one takes a random
 * place and the one that was there moves to the end (Fisher–Yates, inside out), so the order says
 * nothing about who came when and an answer costs the same however many there are. In the file, an
 * object by id in this order, as before.
 */
export class AnonymousAnswers {
  private entries: Array<[string, AnonymousReply]>;

  constructor(entries: Array<[string, AnonymousReply]> = []) {
    this.entries = entries;
  }

  /** As the file keeps them, in the file's order. */
  static of(answers: Record<string, AnonymousReply>): AnonymousAnswers {
    return new AnonymousAnswers(Object.entries(answers));
  }

  /** `place` in [0, 1), from the store's randomness. */
  insert(id: string, answer: AnonymousReply, place: number) {
    const last = this.entries.push([id, answer]) - 1;
    const at = Math.min(last, Math.floor(place * (last + 1)));
    [this.entries[at], this.entries[last]] = [this.entries[last]!, this.entries[at]!];
  }

  /** The same answers, each at a new random place (an earlier release's, kept in arrival order). */
  reshuffled(next: () => number): AnonymousAnswers {
    const shuffled = new AnonymousAnswers();
    for (const [id, answer] of this.entries) shuffled.insert(id, answer, next());
    return shuffled;
  }

  get size() {
    return this.entries.length;
  }

  values(): AnonymousReply[] {
    return this.entries.map(([, answer]) => answer);
  }

  /** Removes the answers `old` picks; returns how many. */
  deleteWhere(old: (answer: AnonymousReply) => boolean): number {
    const before = this.entries.length;
    this.entries = this.entries.filter(([, answer]) => !old(answer));
    return before - this.entries.length;
  }

  toJSON(): Record<string, AnonymousReply> {
    return Object.fromEntries(this.entries);
  }
}
