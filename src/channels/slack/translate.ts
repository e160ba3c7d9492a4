// Slack's payloads as the app's inputs: which team a request is for, a button's action data, and a
// modal's input values by the input ids the app expects. Pure.
import type { TenantOnly } from '../../app/inbound.ts';
import type { TeamRef } from '../../app/ports.ts';

type Json = Record<string, unknown>;

/**
 * A run lives in one Slack channel ({ tenant: workspace, team: channel }). In a direct message (a `D…`
 * channel) only the workspace is known: the app takes the workspace's run that has the person.
 */
export function teamOf(tenant: string, channel: string | undefined): TeamRef | TenantOnly {
  if (!channel || channel.startsWith('D')) return { tenant };
  return { tenant, team: channel };
}

/** A button's value: `{ verb, card, ref }` as JSON (src/cards/slack/from-adaptive.ts); undefined when it is not. */
export function buttonValue(value: unknown): { verb: string; data: Json } | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const { verb, ...data } = parsed as Json;
    return typeof verb === 'string' ? { verb, data } : undefined;
  } catch {
    return undefined;
  }
}

/** One modal element's value as an Adaptive Card input gives it: text, a date, a choice, or choices joined by commas. */
function elementValue(element: Json): string | undefined {
  if (typeof element['value'] === 'string') return element['value'];
  if (element['value'] === null) return '';
  if (typeof element['selected_date'] === 'string') return element['selected_date'];
  if (element['selected_option'] !== undefined) return String((element['selected_option'] as Json | null)?.['value'] ?? '');
  if (Array.isArray(element['selected_options'])) return (element['selected_options'] as Json[]).map((o) => String(o['value'] ?? '')).join(',');
  if (element['type'] === 'datepicker') return '';
  return undefined;
}

/** A view_submission's `state.values` (block_id → action_id → element) as inputs by id (`answer:…`, `field:…`, `note`). */
export function modalInputs(values: unknown): Record<string, string> {
  const inputs: Record<string, string> = {};
  if (!values || typeof values !== 'object') return inputs;
  for (const block of Object.values(values as Record<string, unknown>)) {
    if (!block || typeof block !== 'object') continue;
    for (const [actionId, element] of Object.entries(block as Record<string, unknown>)) {
      if (!element || typeof element !== 'object') continue;
      const value = elementValue(element as Json);
      if (value !== undefined) inputs[actionId] = value;
    }
  }
  return inputs;
}

/** What a modal carries from the button that opened it to its submission. */
export interface ModalMetadata {
  /** The action's data: `{ card, ref }`. */
  data: Json;
  tenant: string;
  /** The run's channel, when the button was clicked in it (not in a direct message). */
  team?: string;
  /** The message the form belongs to, replaced by the answer. */
  channel?: string;
  ts?: string;
  /** An ephemeral message has no ts to update: its response_url replaces it. */
  responseUrl?: string;
  /** Opened from the person's App Home: the home is published again after the submit. */
  home?: boolean;
}

export function parseMetadata(text: string): ModalMetadata | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<ModalMetadata>;
    if (!parsed || typeof parsed !== 'object' || typeof parsed.tenant !== 'string' || !parsed.data || typeof parsed.data !== 'object') return undefined;
    return parsed as ModalMetadata;
  } catch {
    return undefined;
  }
}
