import { createStore } from '../state/store';

// How dates and times are written: the app's words are English, and the conventions (day or month
// first, 12- or 24-hour clock) are the person's: their browser's region unless they chose otherwise
// in Account. The choice is kept in this browser (localStorage), like the browser's own language.

const KEY = 'bookit.dateFormat';
const FALLBACK = 'en-GB';

interface BrowserLike {
  navigator?: { language?: string };
  localStorage?: {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
  };
}
const browser = globalThis as BrowserLike;

export const FORMAT_CHOICES = [
  { value: 'en-GB', label: 'Day first, 24-hour clock' },
  { value: 'en-US', label: 'Month first, 12-hour clock' },
  { value: 'en-IE', label: 'Day first, 24-hour clock, with commas' },
  { value: 'en-AU', label: 'Day first, 12-hour clock' },
] as const;

/** English written the way the browser's region writes dates: de-DE → en-DE; en-US stays; none → en-GB. */
export function englishFor(tag: string | undefined): string {
  if (!tag) return FALLBACK;
  try {
    const region = new Intl.Locale(tag).maximize().region;
    const english = region ? `en-${region}` : FALLBACK;
    return Intl.DateTimeFormat.supportedLocalesOf([english])[0] === english ? english : FALLBACK;
  } catch {
    return FALLBACK;
  }
}

export const browserFormat = () => englishFor(browser.navigator?.language);

function stored(): string | null {
  try {
    const value = browser.localStorage?.getItem(KEY) ?? null;
    return value && FORMAT_CHOICES.some((choice) => choice.value === value) ? value : null;
  } catch {
    return null;
  }
}

/** The chosen format ('' for the browser's), as Account shows it. */
export const formatChoiceStore = createStore<string>(stored() ?? '');

/** The locale every date and time on the page is written in. */
export const formatLocale = () => formatChoiceStore.get() || browserFormat();

export function chooseFormat(value: string): void {
  try {
    if (value) browser.localStorage?.setItem(KEY, value);
    else browser.localStorage?.removeItem(KEY);
  } catch {
    // Storage refused (private mode): the choice lasts until the page is left.
  }
  formatChoiceStore.set(value);
}
