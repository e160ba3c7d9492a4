import { createHash } from 'node:crypto';
import type { Answers } from '../domain/replies/reply.ts';
import { SCHEMA_VERSION } from './keys.ts';

/** Every stored value carries `v`, the schema version it was written with. */
export function encode(value: object): string {
  return JSON.stringify({ v: SCHEMA_VERSION, ...value });
}

export class StoredValueError extends Error {
  override readonly name = 'StoredValueError';
}

export function decode<T>(text: string): T {
  const { v, ...value } = JSON.parse(text) as { v?: number } & Record<string, unknown>;
  if (v !== SCHEMA_VERSION) throw new StoredValueError(`a stored value has schema version ${String(v)}; this release reads ${SCHEMA_VERSION}`);
  return value as T;
}

/** Equal answers give an equal fingerprint whatever the order of their fields: a resent submit is recognised. */
export function fingerprint(answers: Answers): string {
  const values = Object.fromEntries(Object.entries(answers.values).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify([answers.outcome, values])).digest('base64url').slice(0, 22);
}

/** The start of a YYYY-MM-DD day, in ms: anonymous replies are dated no finer than that. */
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
