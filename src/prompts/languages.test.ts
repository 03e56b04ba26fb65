import { describe, expect, it } from 'vitest';
import { resolveLanguage } from './languages.js';

describe('resolveLanguage', () => {
  it('matches a supported tag exactly, whatever its case or separator', () => {
    expect(resolveLanguage('es-US')).toBe('es-US');
    expect(resolveLanguage('es_us')).toBe('es-US');
    expect(resolveLanguage('EN-us')).toBe('en-US');
  });

  it('falls back to the same primary language, then to en-US', () => {
    expect(resolveLanguage('es-MX')).toBe('es-US');
    expect(resolveLanguage('es')).toBe('es-US');
    expect(resolveLanguage('en-GB')).toBe('en-US');
    expect(resolveLanguage('de-DE')).toBe('en-US');
    expect(resolveLanguage('')).toBe('en-US');
    expect(resolveLanguage(undefined)).toBe('en-US');
  });
});
