// The only reader of process.env: parsed once at start-up, typed and frozen. A bad value fails fast,
// with one message that names every bad or missing variable.
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PROGRAMMES_DIR: z.string().min(1).optional(),
  /** Where the embedded store keeps its data when REDIS_URL is empty. */
  DATA_FILE: z.string().min(1).default('.data/sparringsbot.json'),
  /** The programme the playground's demo team runs. */
  DEMO_PROGRAMME: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a programme id such as odense-science-boernehoejde').default('odense-science-boernehoejde'),
  /** The demo run's first day (YYYY-MM-DD); empty: this week's Monday. */
  DEMO_START: z.iso.date('a date written YYYY-MM-DD').optional().or(z.literal('').transform(() => undefined)),
  /** Replies older than this many days are deleted; 0 keeps them. A school year and its summer by default. */
  RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(400),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration (see .env.example): ${problems.join('; ')}`);
  }
  return Object.freeze(result.data);
}
