import { hash } from 'node:crypto';
import type { Answers } from '../domain/replies/reply.ts';
import { READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION } from './keys.ts';

/** Every stored value carries `v`, the schema version it was written with. */
export function encode(value: object): string {
  return JSON.stringify({ v: SCHEMA_VERSION, ...value });
}

export class StoredValueError extends Error {
  override readonly name = 'StoredValueError';
}

/** The value and the version it was written with, for the few values whose shape changed between versions. */
export function decodeVersioned<T>(text: string): { v: number; value: T } {
  const { v, ...value } = JSON.parse(text) as { v?: number } & Record<string, unknown>;
  if (v === undefined || !READABLE_SCHEMA_VERSIONS.includes(v)) {
    throw new StoredValueError(`a stored value has schema version ${String(v)}; this release reads ${READABLE_SCHEMA_VERSIONS.join(' and ')}`);
  }
  return { v, value: value as T };
}

/** For values whose shape is the same in every readable version. */
export function decode<T>(text: string): T {
  return decodeVersioned<T>(text).value;
}

/** The question ids of a form in fingerprint order, by the ids in the order they came: every reply to a form has the same ones. */
const fingerprintOrders = new Map<string, string[]>();
const FINGERPRINT_ORDERS_KEPT = 1_000;

function fingerprintOrder(ids: string[]): string[] {
  const seen = ids.join('\u0000');
  let order = fingerprintOrders.get(seen);
  if (!order) {
    // Memory, not correctness: a process that has seen this many forms starts over.
    if (fingerprintOrders.size >= FINGERPRINT_ORDERS_KEPT) fingerprintOrders.clear();
    order = [...ids].sort((a, b) => a.localeCompare(b));
    fingerprintOrders.set(seen, order);
  }
  return order;
}

/** Equal answers give an equal fingerprint whatever the order of their fields: a resent submit is recognised. */
export function fingerprint(answers: Answers): string {
  // The sort (localeCompare) is most of the cost of a fingerprint, and it is the same for every reply to a form.
  const values: Record<string, string> = {};
  for (const id of fingerprintOrder(Object.keys(answers.values))) values[id] = answers.values[id]!;
  // The one-shot hash (Node 20.12+) gives what createHash gives, at half the cost.
  return hash('sha256', JSON.stringify([answers.outcome, values]), 'base64url').slice(0, 22);
}

/** The start of a YYYY-MM-DD day, in ms: anonymous replies are dated no finer than that. */
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
