import type { Express } from 'express';
import type { Channel } from '../app/ports.ts';

/**
 * A platform's two sides, as the composition root plugs them in: the outbound Channel delivery
 * sends through, and the inbound routes it mounts on the one HTTP server. A receiver only
 * translates: the platform's payload into an InboundEvent for src/app/inbound.ts, and the reply
 * into the platform's answer. Roles, validation and storage are the app's.
 */
export interface Receiver {
  /** `teams`, `slack` or `playground`: what start-up names. */
  readonly name: string;
  /** Delivery's way out to this platform; the playground delivers its demo team itself. */
  readonly channel?: Channel;
  /** Mounts its routes (each with its own body parsing: Slack must see the raw body). */
  mount(app: Express): void;
  /** The server listens at `url` (with no trailing slash): a receiver that links back to itself learns where. Awaited before start-up ends. */
  listening?(url: string): Promise<void>;
  /** Stops what it runs of its own; called after the server stopped taking requests. */
  stop(): Promise<void>;
}
