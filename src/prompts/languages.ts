// The languages the prompt catalog speaks, and how a caller's language tag (the `language` of
// AudioHook `open`, or configuration) maps onto one of them.

export const LANGUAGES = ['en-US', 'es-US'] as const;
export type LanguageId = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: LanguageId = 'en-US';

/**
 * Pure. Exact tag first (case-insensitive), then the same primary language ("es-MX" -> "es-US",
 * "en-GB" -> "en-US"), else en-US. Never fails: a call must always have a voice.
 */
export function resolveLanguage(tag: string | undefined | null): LanguageId {
  if (!tag) return DEFAULT_LANGUAGE;
  const wanted = tag.trim().replace(/_/g, '-').toLowerCase();
  const exact = LANGUAGES.find((l) => l.toLowerCase() === wanted);
  if (exact) return exact;
  const primary = wanted.split('-')[0];
  return LANGUAGES.find((l) => l.toLowerCase().split('-')[0] === primary) ?? DEFAULT_LANGUAGE;
}
