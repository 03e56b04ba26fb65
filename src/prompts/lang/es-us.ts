// es-US clip texts (US Spanish: "oprima", "monto"). Besides the core vocabulary, Spanish needs the
// shortened and feminine forms of numbers ending in one ("un dólar", "veintiún euros", "una
// libra"), whole hundreds ("doscientos", "doscientas"), "ciento", "millones", "con" and "de".
import type { PhraseId } from '../spec.js';
import {
  currencyClip,
  hundredsClip,
  letterClip,
  monthClip,
  numberClip,
  numberFormClip,
  phraseClip,
  wordClip,
  type ClipId,
} from '../clip-ids.js';
import type { LanguageTexts } from './types.js';

const PHRASE_TEXT: Record<PhraseId, string> = {
  welcome: 'Bienvenido a nuestro servicio de pago seguro.',
  welcome_agent_assisted: 'Su agente le ha transferido a nuestro servicio de pago seguro. Su agente no puede oír los números que usted marque.',
  not_identified: 'Lo sentimos, no encontramos un pago para esta llamada.',
  amount_due: 'El monto a pagar es',
  choose_amount: 'Para pagar el monto total, oprima uno. Para pagar otro monto, oprima dos.',
  enter_amount: 'Marque el monto que desea pagar, usando la tecla asterisco como punto decimal, seguido de la tecla numeral.',
  amount_too_low: 'Ese monto es inferior al pago mínimo de',
  amount_too_high: 'Ese monto es superior al pago máximo de',
  you_entered: 'Usted marcó',
  confirm_or_reenter: 'Si es correcto, oprima uno. Para marcarlo de nuevo, oprima dos.',
  enter_card_number: 'Marque el número de su tarjeta, seguido de la tecla numeral.',
  card_number_invalid: 'Ese número de tarjeta no es válido.',
  card_brand_not_accepted: 'Lo sentimos, no aceptamos este tipo de tarjeta.',
  card_ending_in: 'Tarjeta que termina en',
  enter_expiry: 'Marque la fecha de vencimiento: dos dígitos para el mes y dos dígitos para el año.',
  expiry_invalid: 'Esa fecha de vencimiento no es válida.',
  card_expired: 'Esa tarjeta está vencida.',
  enter_security_code: 'Marque el código de seguridad de tres dígitos que aparece al reverso de su tarjeta.',
  enter_security_code_amex: 'Marque el código de seguridad de cuatro dígitos que aparece al frente de su tarjeta.',
  security_code_invalid: 'Ese código de seguridad no es válido.',
  expiring: 'que vence en',
  no_input: 'Lo sentimos, no recibimos su respuesta.',
  invalid_entry: 'Lo sentimos, esa entrada no es válida.',
  try_again: 'Por favor, inténtelo de nuevo.',
  too_many_attempts: 'Lo sentimos, ha habido demasiados intentos fallidos.',
  processing: 'Espere un momento mientras procesamos su pago.',
  approved: 'Gracias. Su pago ha sido aprobado.',
  your_reference_is: 'Su número de referencia es',
  declined: 'Lo sentimos, su pago fue rechazado.',
  declined_insufficient_funds: 'Lo sentimos, su pago fue rechazado por fondos insuficientes.',
  declined_try_another_card: 'Por favor, intente con otra tarjeta.',
  payment_unavailable: 'Lo sentimos, no podemos procesar pagos en este momento. Inténtelo más tarde.',
  transferring_to_agent: 'Espere mientras le transferimos a un agente.',
  returning_to_agent: 'Le regresamos con su agente.',
  cancelled: 'Su pago ha sido cancelado.',
  goodbye: 'Gracias por su llamada. Adiós.',
  star: 'asterisco',
  pound: 'numeral',
  digits: 'dígitos',
};

const UNDER_30 = ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once',
  'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve', 'veinte', 'veintiuno',
  'veintidós', 'veintitrés', 'veinticuatro', 'veinticinco', 'veintiséis', 'veintisiete', 'veintiocho', 'veintinueve'];
const TENS = ['', '', '', 'treinta', 'cuarenta', 'cincuenta', 'sesenta', 'setenta', 'ochenta', 'noventa'];

function numberText(n: number, form?: 'm' | 'f'): string {
  const lastOne = (tail: string) => (form === 'm' ? tail.replace(/uno$/, 'un') : form === 'f' ? tail.replace(/uno$/, 'una') : tail);
  if (n === 21 && form) return form === 'm' ? 'veintiún' : 'veintiuna';
  if (n < 30) return lastOne(UNDER_30[n]!);
  const tens = TENS[Math.floor(n / 10)]!;
  return n % 10 === 0 ? tens : `${tens} y ${lastOne(UNDER_30[n % 10]!)}`;
}

const HUNDREDS = ['', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos', 'setecientos',
  'ochocientos', 'novecientos'];

const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre',
  'noviembre', 'diciembre'];

const LETTER_NAMES = ['a', 'be', 'ce', 'de', 'e', 'efe', 'ge', 'hache', 'i', 'jota', 'ka', 'ele', 'eme', 'ene', 'o', 'pe',
  'cu', 'erre', 'ese', 'te', 'u', 've', 'doble ve', 'equis', 'ye', 'zeta'];

const texts: Record<ClipId, string> = {};
for (const [id, text] of Object.entries(PHRASE_TEXT)) texts[phraseClip(id as PhraseId)] = text;
for (let n = 0; n < 100; n++) texts[numberClip(n)] = numberText(n);
for (const n of [1, 21, 31, 41, 51, 61, 71, 81, 91]) {
  texts[numberFormClip(n, 'm')] = numberText(n, 'm');
  texts[numberFormClip(n, 'f')] = numberText(n, 'f');
}
for (let h = 1; h < 10; h++) {
  texts[hundredsClip(h)] = HUNDREDS[h]!;
  if (h > 1) texts[hundredsClip(h, 'f')] = HUNDREDS[h]!.replace(/os$/, 'as');
}
Object.assign(texts, {
  [wordClip('hundred')]: 'cien',
  [wordClip('thousand')]: 'mil',
  [wordClip('million')]: 'millón',
  [wordClip('millions')]: 'millones',
  [wordClip('and')]: 'y',
  [wordClip('with')]: 'con',
  [wordClip('of')]: 'de',
  [wordClip('point')]: 'punto',
});
MONTHS.forEach((m, i) => (texts[monthClip(i + 1)] = m));
LETTER_NAMES.forEach((name, i) => (texts[letterClip(String.fromCharCode(97 + i))] = name));
const CURRENCY_WORDS = {
  USD: ['dólar', 'dólares', 'centavo', 'centavos'],
  EUR: ['euro', 'euros', 'céntimo', 'céntimos'],
  GBP: ['libra', 'libras', 'penique', 'peniques'],
  CAD: ['dólar canadiense', 'dólares canadienses', 'centavo', 'centavos'],
  MXN: ['peso', 'pesos', 'centavo', 'centavos'],
} as const;
for (const [code, [one, many, minorOne, minorMany]] of Object.entries(CURRENCY_WORDS)) {
  const c = code as keyof typeof CURRENCY_WORDS;
  texts[currencyClip(c, 'major', 'one')] = one;
  texts[currencyClip(c, 'major', 'many')] = many;
  texts[currencyClip(c, 'minor', 'one')] = minorOne;
  texts[currencyClip(c, 'minor', 'many')] = minorMany;
}

export const ES_US: LanguageTexts = {
  language: 'es-US',
  voice: { espeak: 'es-419+f3', rate: 150, pitch: 50 },
  texts,
};
