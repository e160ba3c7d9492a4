// The languages, apart from the schema so that code which only needs the list (the CLI's --locale) does not load zod.
export const LOCALES = ['da', 'sv', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
