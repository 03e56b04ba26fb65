// US English: "one thousand two hundred thirty four dollars and fifty six cents" (no "and" inside
// numbers, as en-US speaks them), years as "twenty twenty seven" but "two thousand five".
import { currencyClip, monthClip, numberClip, wordClip, type ClipId, type SpokenCurrency } from '../clip-ids.js';
import type { Grammar } from './grammar.js';

function below1000(n: number): ClipId[] {
  const clips: ClipId[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds > 0) clips.push(numberClip(hundreds), wordClip('hundred'));
  if (rest > 0) clips.push(numberClip(rest));
  return clips;
}

function cardinal(n: number): ClipId[] {
  if (n === 0) return [numberClip(0)];
  const millions = Math.floor(n / 1_000_000);
  const thousands = Math.floor(n / 1000) % 1000;
  const rest = n % 1000;
  const clips: ClipId[] = [];
  if (millions > 0) clips.push(...below1000(millions), wordClip('million'));
  if (thousands > 0) clips.push(...below1000(thousands), wordClip('thousand'));
  clips.push(...below1000(rest));
  return clips;
}

function year(y: number): ClipId[] {
  const century = Math.floor(y / 100);
  const rest = y % 100;
  // "two thousand", "two thousand five": the way the 2000s are said; later years go in pairs.
  if (y >= 2000 && y <= 2009) return cardinal(y);
  if (y >= 1100 && rest >= 10) return [numberClip(century), numberClip(rest)];
  return cardinal(y);
}

function amount(major: number, minor: number, currency: SpokenCurrency): ClipId[] {
  const clips: ClipId[] = [];
  // Zero minor units are omitted ("five dollars"); a zero major unit too when there are cents.
  if (major > 0 || minor === 0) clips.push(...cardinal(major), currencyClip(currency, 'major', major === 1 ? 'one' : 'many'));
  if (minor > 0) {
    if (major > 0) clips.push(wordClip('and'));
    clips.push(...cardinal(minor), currencyClip(currency, 'minor', minor === 1 ? 'one' : 'many'));
  }
  return clips;
}

export const englishUs: Grammar = {
  cardinal,
  amount,
  expiry: (month, y) => [monthClip(month), ...year(y)],
};
