// Spanish: numbers agree with the noun that follows ("un dólar", "veintiún euros", "una libra",
// "doscientas libras"), "cien" but "ciento uno", "mil" not "un mil", "un millón de dólares",
// amounts joined with "con" ("veinte euros con cincuenta céntimos"), dates as "noviembre de dos
// mil veintisiete".
import {
  currencyClip,
  hundredsClip,
  monthClip,
  numberClip,
  numberFormClip,
  wordClip,
  type ClipId,
  type NumberForm,
  type SpokenCurrency,
} from '../clip-ids.js';
import type { Grammar } from './grammar.js';

/** Grammatical gender of each currency's major and minor unit. */
const GENDER: Record<SpokenCurrency, { major: NumberForm; minor: NumberForm }> = {
  USD: { major: 'm', minor: 'm' },
  EUR: { major: 'm', minor: 'm' },
  GBP: { major: 'f', minor: 'm' }, // la libra, el penique
  CAD: { major: 'm', minor: 'm' },
  MXN: { major: 'm', minor: 'm' },
};

// `form` set: the number stands before a noun and takes its gender ("un", "una", "veintiún").
function below100(n: number, form: NumberForm | undefined): ClipId {
  if (form && (n === 1 || (n > 20 && n % 10 === 1))) return numberFormClip(n, form);
  return numberClip(n);
}

function below1000(n: number, form: NumberForm | undefined): ClipId[] {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const clips: ClipId[] = [];
  if (hundreds === 1) clips.push(rest === 0 ? wordClip('hundred') : hundredsClip(1));
  else if (hundreds > 1) clips.push(hundredsClip(hundreds, form === 'f' ? 'f' : 'm'));
  if (rest > 0) clips.push(below100(rest, form));
  return clips;
}

function cardinal(n: number, form?: NumberForm): ClipId[] {
  if (n === 0) return [numberClip(0)];
  const millions = Math.floor(n / 1_000_000);
  const thousands = Math.floor(n / 1000) % 1000;
  const rest = n % 1000;
  const clips: ClipId[] = [];
  // "millón" is masculine whatever follows; "mil" takes the noun's gender.
  if (millions === 1) clips.push(numberFormClip(1, 'm'), wordClip('million'));
  else if (millions > 1) clips.push(...below1000(millions, 'm'), wordClip('millions'));
  if (thousands === 1) clips.push(wordClip('thousand'));
  else if (thousands > 1) clips.push(...below1000(thousands, form ?? 'm'), wordClip('thousand'));
  clips.push(...below1000(rest, form));
  return clips;
}

function amount(major: number, minor: number, currency: SpokenCurrency): ClipId[] {
  const gender = GENDER[currency];
  const clips: ClipId[] = [];
  if (major > 0 || minor === 0) {
    clips.push(...cardinal(major, gender.major));
    // "un millón de dólares", but "un millón doscientos mil dólares".
    if (major >= 1_000_000 && major % 1_000_000 === 0) clips.push(wordClip('of'));
    clips.push(currencyClip(currency, 'major', major === 1 ? 'one' : 'many'));
  }
  if (minor > 0) {
    if (major > 0) clips.push(wordClip('with'));
    clips.push(...cardinal(minor, gender.minor), currencyClip(currency, 'minor', minor === 1 ? 'one' : 'many'));
  }
  return clips;
}

export const spanishUs: Grammar = {
  cardinal: (n) => cardinal(n),
  amount,
  expiry: (month, year) => [monthClip(month), wordClip('of'), ...cardinal(year)],
};
