// Typed error codes of the prompts area (catalog, say functions, playout, live TTS).
import { defineErrors } from '../core/errors.js';

export const PROMPTS_ERRORS = defineErrors({
  ERR_PROMPTS_CATALOG_MISSING: {
    message: 'prompt catalog not found for the language',
    hint: 'Run `npx payhook prompts build` or restore fixtures/prompts/<language>/ from git.',
  },
  ERR_PROMPTS_CLIP_MISSING: {
    message: 'a prompt clip is missing from the catalog',
    hint: 'Rebuild the clips with `npx payhook prompts build`; the vocabulary and the manifest are out of step.',
  },
  ERR_PROMPTS_CLIP_CORRUPT: {
    message: 'a prompt clip does not match its manifest checksum',
    hint: 'Restore fixtures/prompts from git or rebuild with `npx payhook prompts build`.',
  },
  ERR_PROMPTS_BAD_VALUE: {
    message: 'a value in a prompt cannot be spoken',
    hint: 'Check the prompt spec: amounts are non-negative minor units below one billion, expiry is MMYY, digits and references use 0-9, A-Z, * and #.',
  },
  ERR_PROMPTS_TTS_UNAVAILABLE: {
    message: 'live text-to-speech is not available: espeak-ng or sox is not installed',
    hint: 'Install the Debian packages espeak-ng and sox, or use pre-rendered prompts only.',
  },
  ERR_PROMPTS_TTS_FAILED: {
    message: 'text-to-speech rendering failed',
    hint: 'Run espeak-ng and sox by hand with the same voice to see their error output.',
  },
  ERR_PROMPTS_PLAYOUT_CLOSED: {
    message: 'the prompt playout is closed',
    hint: 'A prompt was queued after the call ended; the caller should stop playing once the session closes.',
  },
});

export type PromptsErrorCode = keyof typeof PROMPTS_ERRORS;
