// The prompts module's public surface: catalog, say functions, rendering, playout, live TTS.
export { PHRASES, phrase, prompt, type PhraseId, type PromptSpec, type SayItem } from './spec.js';
export { LANGUAGES, DEFAULT_LANGUAGE, resolveLanguage, type LanguageId } from './languages.js';
export { PromptCatalog, catalogFor, loadCatalog, DEFAULT_PROMPTS_DIR } from './catalog.js';
export { composePrompt, sayItem, clipsOf, type SayResult, type Step, type BadValueReason } from './say/index.js';
export { renderPrompt, renderSteps } from './render.js';
export {
  Playout,
  type PlayoutPort,
  type PlayoutOptions,
  type PlayoutEvents,
  type Playback,
  type PromptInfo,
  type PromptOutcome,
  type FinishReason,
} from './playout.js';
export { EspeakTts, liveTtsAvailable, ttsCacheKey, type TtsProvider } from './tts.js';
export { PROMPTS_ERRORS, type PromptsErrorCode } from './errors.js';
