// The field schemas the programme, its activities and their timing rules all build on (ids, translated texts,
// times of day, settings matches), apart so that each of those modules shares one definition of each.
import { z } from 'zod';
import { ON_CLOSED, WEEKDAYS } from './vocabulary.ts';

export const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-", like "workshop-1"');
export const localized = z.strictObject({ da: z.string().min(1), sv: z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof localized>;

export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time written HH:mm, like "14:00"');
export const weekday = z.enum(WEEKDAYS);
export const isoWeek = z.number().int().min(1).max(53);
export const nonNegative = z.number().int().min(0);
export const onClosed = z.enum(ON_CLOSED).optional();

/** Settings a run chooses among, e.g. `{ module: school }`; a rule or activity can depend on them. */
export const settingsMatch = z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)]));
export type SettingsMatch = z.infer<typeof settingsMatch>;
