/** A configuration an operator must fix, said in one line. Apart from config.ts so that catching it does not load the configuration's schema. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
