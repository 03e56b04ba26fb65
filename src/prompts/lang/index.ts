// Clip texts by language.
import type { LanguageId } from '../languages.js';
import { EN_US } from './en-us.js';
import { ES_US } from './es-us.js';
import type { LanguageTexts } from './types.js';

export type { LanguageTexts, VoiceSettings } from './types.js';

export const LANGUAGE_TEXTS: Readonly<Record<LanguageId, LanguageTexts>> = { 'en-US': EN_US, 'es-US': ES_US };
