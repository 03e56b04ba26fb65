// en-US clip texts. Numbers 0-99 are whole clips ("twenty seven"), so an amount needs few joins.
import type { PhraseId } from '../spec.js';
import { currencyClip, letterClip, monthClip, numberClip, phraseClip, wordClip, type ClipId } from '../clip-ids.js';
import type { LanguageTexts } from './types.js';

const PHRASE_TEXT: Record<PhraseId, string> = {
  welcome: 'Welcome to our secure payment service.',
  welcome_agent_assisted: 'Your agent has transferred you to our secure payment service. Your agent cannot hear the numbers you enter.',
  not_identified: 'Sorry, we could not find a payment for this call.',
  amount_due: 'The amount due is',
  choose_amount: 'To pay the full amount, press 1. To pay a different amount, press 2.',
  enter_amount: 'Please enter the amount you wish to pay, using the star key for the decimal point, followed by the pound key.',
  amount_too_low: 'That amount is below the minimum payment of',
  amount_too_high: 'That amount is above the maximum payment of',
  you_entered: 'You entered',
  confirm_or_reenter: 'If this is correct, press 1. To enter it again, press 2.',
  enter_card_number: 'Please enter your card number, followed by the pound key.',
  card_number_invalid: 'That card number is not valid.',
  card_brand_not_accepted: 'Sorry, we do not accept this type of card.',
  card_ending_in: 'Card ending in',
  enter_expiry: 'Please enter the expiry date: two digits for the month, then two digits for the year.',
  expiry_invalid: 'That expiry date is not valid.',
  card_expired: 'That card has expired.',
  enter_security_code: 'Please enter the three digit security code from the back of your card.',
  enter_security_code_amex: 'Please enter the four digit security code from the front of your card.',
  security_code_invalid: 'That security code is not valid.',
  expiring: 'expiring',
  no_input: 'Sorry, we did not receive your entry.',
  invalid_entry: 'Sorry, that entry is not valid.',
  try_again: 'Please try again.',
  too_many_attempts: 'Sorry, there have been too many unsuccessful attempts.',
  processing: 'Please wait while we process your payment.',
  approved: 'Thank you. Your payment has been approved.',
  your_reference_is: 'Your reference number is',
  declined: 'Sorry, your payment was declined.',
  declined_insufficient_funds: 'Sorry, your payment was declined due to insufficient funds.',
  declined_try_another_card: 'Please try a different card.',
  payment_unavailable: 'Sorry, we cannot take payments right now. Please try again later.',
  transferring_to_agent: 'Please hold while we transfer you to an agent.',
  returning_to_agent: 'Returning you to your agent now.',
  cancelled: 'Your payment has been cancelled.',
  goodbye: 'Thank you for calling. Goodbye.',
  star: 'star',
  pound: 'pound',
  digits: 'digits',
};

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

function numberText(n: number): string {
  if (n < 20) return ONES[n]!;
  return n % 10 === 0 ? TENS[n / 10]! : `${TENS[Math.floor(n / 10)]} ${ONES[n % 10]}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];

// Spelled as heard: espeak-ng reads a lone "a" as the article.
const LETTER_NAMES = ['ay', 'bee', 'see', 'dee', 'ee', 'ef', 'gee', 'aitch', 'eye', 'jay', 'kay', 'el', 'em', 'en', 'oh',
  'pee', 'cue', 'are', 'ess', 'tee', 'you', 'vee', 'double you', 'ex', 'why', 'zee'];

const texts: Record<ClipId, string> = {};
for (const [id, text] of Object.entries(PHRASE_TEXT)) texts[phraseClip(id as PhraseId)] = text;
for (let n = 0; n < 100; n++) texts[numberClip(n)] = numberText(n);
Object.assign(texts, {
  [wordClip('hundred')]: 'hundred',
  [wordClip('thousand')]: 'thousand',
  [wordClip('million')]: 'million',
  [wordClip('and')]: 'and',
  [wordClip('point')]: 'point',
});
MONTHS.forEach((m, i) => (texts[monthClip(i + 1)] = m));
LETTER_NAMES.forEach((name, i) => (texts[letterClip(String.fromCharCode(97 + i))] = name));
const CURRENCY_WORDS = {
  USD: ['dollar', 'dollars', 'cent', 'cents'],
  EUR: ['euro', 'euros', 'cent', 'cents'],
  GBP: ['pound', 'pounds', 'penny', 'pence'],
  CAD: ['Canadian dollar', 'Canadian dollars', 'cent', 'cents'],
  MXN: ['peso', 'pesos', 'centavo', 'centavos'],
} as const;
for (const [code, [one, many, minorOne, minorMany]] of Object.entries(CURRENCY_WORDS)) {
  const c = code as keyof typeof CURRENCY_WORDS;
  texts[currencyClip(c, 'major', 'one')] = one;
  texts[currencyClip(c, 'major', 'many')] = many;
  texts[currencyClip(c, 'minor', 'one')] = minorOne;
  texts[currencyClip(c, 'minor', 'many')] = minorMany;
}

export const EN_US: LanguageTexts = {
  language: 'en-US',
  voice: { espeak: 'en-us+f3', rate: 155, pitch: 50 },
  texts,
};
