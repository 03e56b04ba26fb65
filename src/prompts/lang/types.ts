// What a language contributes to the catalog build: the espeak-ng voice and the text of each clip.
import type { LanguageId } from '../languages.js';
import type { ClipId } from '../clip-ids.js';

export interface VoiceSettings {
  /** espeak-ng voice with variant, e.g. "en-us+f3". */
  espeak: string;
  /** Words per minute (espeak-ng -s). */
  rate: number;
  /** 0-99 (espeak-ng -p). */
  pitch: number;
}

export interface LanguageTexts {
  language: LanguageId;
  voice: VoiceSettings;
  /** Clip id -> the text espeak-ng speaks for it (spelled for the synthesizer, not for reading). */
  texts: Readonly<Record<ClipId, string>>;
}
