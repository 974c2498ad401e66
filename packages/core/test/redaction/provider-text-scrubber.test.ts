import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { providerTextScrubber, SCRUBBED_VALUE_MARKER } from '../../src/index.js';

/** Canary values: distinctive, so a hit in the output can only be a leak. */
const CANARY = {
  firstName: 'Zelphine',
  lastName: "O'Quortaby",
  middleName: 'Émeraude',
  dateOfBirth: '1990-05-15',
  email: 'zel.quortaby@example.com',
  phone: '+14155551234',
  nationalId: '987-65-4329',
  documentNumber: 'PZ8K4Q7M3',
  postalCode: 'N1 9GU',
  line1: '742 Evergreen Terrace',
  city: 'Springfield',
  occupation: 'Glassblower',
  expiresOn: '2031-02-03',
} as const;

const application = {
  person: {
    firstName: CANARY.firstName,
    lastName: CANARY.lastName,
    middleName: CANARY.middleName,
    dateOfBirth: CANARY.dateOfBirth,
    nationality: 'US',
    email: CANARY.email,
    phone: CANARY.phone,
  },
  address: { line1: CANARY.line1, city: CANARY.city, postalCode: CANARY.postalCode, country: 'GB', stateCode: 'OR' },
  identifiers: [{ type: 'ssn', value: CANARY.nationalId, issuingCountry: 'US' }],
  documents: [
    {
      type: 'passport',
      number: CANARY.documentNumber,
      expiresOn: CANARY.expiresOn,
      front: { content: new Uint8Array(3), contentType: 'image/jpeg', filename: 'scan.jpg' },
    },
  ],
  profile: { occupation: CANARY.occupation, employmentStatus: 'employed' },
};

const scrubber = providerTextScrubber({ application });

/** Every way the tests below expect a provider to write the date of birth back. */
const DATE_OF_BIRTH_FORMS = [
  '1990-05-15',
  '1990/05/15',
  '1990.5.15',
  '15 May 1990',
  '15-May-1990',
  'May 15, 1990',
  'MAY 15 1990',
  '15/05/1990',
  '05/15/1990',
  '15.05.90',
  '5/15/90',
  '19900515',
  '15051990',
  '05151990',
  'fifteenth of May 1990',
  'the fifteenth of may',
  'May fifteenth',
  'May the 15th',
  '15th May',
  '15th of May, 1990',
  'May fifteen',
  '15/05',
  '05/15',
  'May 1990',
  '1990',
];

describe('providerTextScrubber: the submitted values, in every form', () => {
  it.each(DATE_OF_BIRTH_FORMS)('date of birth written as %j', (form) => {
    const out = scrubber.scrub(`dateOfBirth ${form} is under 18`);
    expect(out).toBe(`dateOfBirth ${SCRUBBED_VALUE_MARKER} is under 18`);
  });

  it.each([
    ['document number as sent', 'PZ8K4Q7M3'],
    ['lower case', 'pz8k4q7m3'],
    ['dashes', 'PZ8-K4Q-7M3'],
    ['spaces', 'PZ8 K4Q 7M3'],
    ['dots', 'pz8.k4q.7m3'],
    ['inside a code', 'error.PZ8K4Q7M3.invalid'],
    ['glued to a word', 'docPZ8K4Q7M3'],
    ['national id as sent', '987-65-4329'],
    ['national id, digits only', '987654329'],
    ['national id, spaces', '987 65 4329'],
    ['phone E.164', '+14155551234'],
    ['phone spaced', '+1 415 555 1234'],
    ['phone national', '(415) 555-1234'],
    ['phone digits', '4155551234'],
    ['e-mail, other case', 'ZEL.QUORTABY@EXAMPLE.COM'],
    ['first name, upper case', 'ZELPHINE'],
    ['last name without the apostrophe', 'OQuortaby'],
    ['last name with a space', 'O Quortaby'],
    ['middle name without its accent', 'Emeraude'],
    ['address line, lower case', '742 evergreen terrace'],
    ['city', 'SPRINGFIELD'],
    ['postal code without its space', 'N19GU'],
    ['occupation', 'glassblower'],
    ['expiry date in words', '3 February 2031'],
    ['expiry date numeric', '03/02/2031'],
  ])('%s', (_label, echoed) => {
    const out = scrubber.scrub(`value ${echoed} refused`);
    expect(out).toMatch(/^value \S*\[redacted\]\S* refused$/);
    expect(alnum(out)).not.toContain(alnum(echoed));
  });

  it('keeps the provider wording, field names and closed vocabularies', () => {
    const text = 'Validation failed: phoneNumber must be in E.164 format; nationality must be ISO 3166-1 alpha-2 (US, GB); state OR';
    expect(scrubber.scrub(text)).toBe(text);
    expect(scrubber.isClean(text)).toBe(true);
  });

  it('collapses whitespace and caps the length after scrubbing', () => {
    expect(scrubber.scrub('  a \n\t b  ')).toBe('a b');
    const long = scrubber.scrub(`${'x '.repeat(2000)}${CANARY.documentNumber}`);
    expect(long.length).toBeLessThanOrEqual(1001);
    expect(long).not.toContain(CANARY.documentNumber);
  });

  it('isClean is false for text carrying a value and true otherwise', () => {
    expect(scrubber.isClean('validation_failed')).toBe(true);
    expect(scrubber.isClean('pz8k4q7m3')).toBe(false);
    expect(scrubber.isClean('error.msg.client.verify.zelphine')).toBe(false);
  });

  it('customer details and extra values are scrubbed too', () => {
    const forCustomer = providerTextScrubber({ customer: { email: 'a.b@example.com', firstName: 'Quilla', lastName: 'Vandermeer' }, values: ['15 May 1990'] });
    expect(forCustomer.scrub('Quilla Vandermeer <A.B@example.com> 15 May 1990')).toBe(
      `${SCRUBBED_VALUE_MARKER} ${SCRUBBED_VALUE_MARKER} <${SCRUBBED_VALUE_MARKER}> ${SCRUBBED_VALUE_MARKER}`,
    );
  });

  it('tolerates an unvalidated application (wrong types, missing parts)', () => {
    const odd = providerTextScrubber({ application: { person: { firstName: 42, dateOfBirth: 'not a date' }, documents: 'x', identifiers: [null] } });
    expect(odd.scrub('not a date; 42')).toBe(`${SCRUBBED_VALUE_MARKER}; 42`);
  });
});

describe('providerTextScrubber without submitted values (refresh, webhooks): heuristics', () => {
  const heuristic = providerTextScrubber();

  it.each([
    ['a quoted value', 'number "X1" invalid', `number ${SCRUBBED_VALUE_MARKER} invalid`],
    ["a single-quoted value, apostrophes kept", "the customer's value 'abc' isn't valid", `the customer's value ${SCRUBBED_VALUE_MARKER} isn't valid`],
    ['an e-mail address', 'mail jane@example.com bounced', `mail ${SCRUBBED_VALUE_MARKER} bounced`],
    ['a digit run', 'ssn 123-45-6789 taken', `ssn ${SCRUBBED_VALUE_MARKER} taken`],
    ['an alphanumeric document number', 'document PZ8K4Q7M3 expired', `document ${SCRUBBED_VALUE_MARKER} expired`],
    ['a day and month in words', 'born fifteenth of May', `born ${SCRUBBED_VALUE_MARKER}`],
    ['a month and day with ordinal', 'born May 15th, 1990', `born ${SCRUBBED_VALUE_MARKER}`],
    ['a numeric date', 'born 15/05/1990', `born ${SCRUBBED_VALUE_MARKER}`],
  ])('%s', (_label, input, expected) => {
    expect(heuristic.scrub(input)).toBe(expected);
  });

  it('keeps ordinary provider wording', () => {
    for (const text of ['ID document unreadable', 'phoneNumber must be in E.164 format', 'nationality must be ISO 3166-1 alpha-2', 'HTTP 503 upstream']) {
      expect(heuristic.scrub(text)).toBe(text);
    }
  });
});

/** Letters and digits only, lower case: what is left of a value whatever separators and case it got. */
function alnum(text: string): string {
  return text.normalize('NFD').replace(/[^\p{L}\p{N}]/gu, '').toLowerCase();
}

describe('providerTextScrubber properties', () => {
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const date = fc.record({ year: fc.integer({ min: 1920, max: 2010 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) });

  it('a date of birth never survives in any numeric or written form', () => {
    fc.assert(
      fc.property(date, fc.string({ maxLength: 20 }), ({ year, month, day }, noise) => {
        const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const s = providerTextScrubber({ application: { person: { dateOfBirth: iso } } });
        const dd = String(day).padStart(2, '0');
        const mm = String(month).padStart(2, '0');
        const name = MONTHS[month - 1]!;
        const forms = [iso, `${dd}/${mm}/${year}`, `${mm}/${dd}/${year}`, `${day} ${name} ${year}`, `${name} ${day}, ${year}`, `${year}${mm}${dd}`, `${day}th of ${name}`];
        for (const form of forms) {
          const out = s.scrub(`${noise} ${form} ${noise}`);
          expect(out).not.toContain(form);
          expect(out).not.toMatch(new RegExp(`(?<!\\d)${year}(?!\\d)`));
        }
      }),
    );
  });

  it('an alphanumeric document number never survives, whatever its case and separators', () => {
    const docNumber = fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'), minLength: 6, maxLength: 14 });
    fc.assert(
      fc.property(docNumber, fc.constantFrom('', ' ', '-', '.'), fc.boolean(), (value, separator, lower) => {
        const s = providerTextScrubber({ application: { documents: [{ number: value }] } });
        const echoed = [...(lower ? value.toLowerCase() : value)].join(separator);
        const out = s.scrub(`number ${echoed} invalid`);
        const compact = out.replace(/[\s.-]/g, '').toLowerCase();
        expect(compact).not.toContain(value.toLowerCase());
      }),
    );
  });

  it('scrubbing is idempotent and never longer than the cap', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const once = scrubber.scrub(text);
        expect(scrubber.scrub(once)).toBe(once);
        expect(once.length).toBeLessThanOrEqual(1001);
      }),
    );
  });
});
