/**
 * Personal data on console pages: shown as is when the app turned `showPersonalData` on, otherwise masked so
 * an operator can tell records apart (first letter, domain's first letter) without reading them.
 */
export interface PersonalDataView {
  /** A first or last name. */
  name(value: string): string;
  /** An e-mail address. */
  email(value: string): string;
  /** Free text from the provider (a rejection's `providerReason`). */
  providerText(value: string): string;
}

const ERASED = '(erased)';
const DOTS = '•••';

/** The view the console renders personal data through. */
export function personalDataView(show: boolean): PersonalDataView {
  if (show) {
    return { name: (value) => value || ERASED, email: (value) => value || ERASED, providerText: (value) => value || ERASED };
  }
  return {
    name: (value) => (value === '' ? ERASED : `${firstCharacter(value)}${DOTS}`),
    email: (value) => {
      if (value === '') return ERASED;
      const at = value.lastIndexOf('@');
      if (at < 1) return DOTS;
      return `${firstCharacter(value)}${DOTS}@${firstCharacter(value.slice(at + 1))}${DOTS}`;
    },
    providerText: (value) => (value === '' ? ERASED : `${DOTS} (${[...value].length} characters hidden)`),
  };
}

// Whole code points: a masked name never ends in half a surrogate pair.
const firstCharacter = (value: string): string => [...value][0] ?? '';
