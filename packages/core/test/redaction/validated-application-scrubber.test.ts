import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultProviderTextScrubber, providerTextScrubber, validateApplication } from '../../src/index.js';
import { applicationWith, capabilities, context } from '../application/helpers.js';

/**
 * Adapters validate first and build their scrubber from the validated
 * application — what they actually send. Validation normalizes (strings
 * trimmed, SSNs and ITINs written `NNN-NN-NNNN`), and a provider may echo
 * either form: the value as sent or the one the user typed. The scrubber's
 * variants (any separators or none between an identifier's characters,
 * whitespace-insensitive words) must cover both, so one scrubber built from
 * the validated application is enough.
 */

/** A valid SSN's 9 digits: area 001–899 but not 666, group 01–99, serial 0001–9999. */
const ssnDigits = fc
  .tuple(
    fc.integer({ min: 1, max: 899 }).filter((area) => area !== 666),
    fc.integer({ min: 1, max: 99 }),
    fc.integer({ min: 1, max: 9999 }),
  )
  .map(([area, group, serial]) => `${String(area).padStart(3, '0')}${String(group).padStart(2, '0')}${String(serial).padStart(4, '0')}`);

function validated(typedSsn: string, typedFirstName: string) {
  const input = applicationWith((application) => {
    application.identifiers = [{ type: 'ssn', value: typedSsn, issuingCountry: 'US' }];
    application.person.firstName = typedFirstName;
  });
  const checked = validateApplication(input, capabilities(), context());
  if (!checked.success) throw new Error(`fixture invalid: ${JSON.stringify(checked.issues)}`);
  return checked.application;
}

describe('a scrubber built from the validated application', () => {
  it('scrubs an SSN typed without dashes, as typed, as sent and in forms only its value patterns catch', () => {
    const application = validated('472813956', 'Zelphine');
    expect(application.identifiers?.[0]?.value).toBe('472-81-3956');
    const scrubber = providerTextScrubber({ application });
    for (const form of ['472813956', '472-81-3956', '472_81_3956', '472_813_956']) {
      expect(scrubber.scrub(`ssn ${form} refused`)).toBe('ssn [redacted] refused');
    }
    // The underscored forms are the value patterns' work: heuristics alone leave the short groups.
    expect(defaultProviderTextScrubber.scrub('ssn 472_81_3956 refused')).not.toBe('ssn [redacted] refused');
  });

  it('scrubs a name typed with surrounding whitespace (words are not caught by heuristics)', () => {
    const application = validated('472-81-3956', '  Zelphine  ');
    expect(application.person.firstName).toBe('Zelphine');
    expect(providerTextScrubber({ application }).scrub('first name   Zelphine   refused')).toBe('first name [redacted] refused');
    expect(defaultProviderTextScrubber.scrub('first name Zelphine refused')).toContain('Zelphine');
  });

  it('leaves nothing of the SSN, typed with or without dashes, echoed with any separators', () => {
    fc.assert(
      fc.property(ssnDigits, fc.boolean(), fc.constantFrom('', ' ', '-', '.', '/', '_'), (digits, dashed, echoSeparator) => {
        const typed = dashed ? `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}` : digits;
        const application = validated(typed, 'Zelphine');
        const scrubber = providerTextScrubber({ application });
        const sent = application.identifiers?.[0]?.value ?? '';
        const echoedOtherwise = [digits.slice(0, 3), digits.slice(3, 5), digits.slice(5)].join(echoSeparator);
        for (const form of [typed, sent, echoedOtherwise]) {
          expect(scrubber.scrub(`value ${form} is not valid`)).toBe('value [redacted] is not valid');
        }
      }),
    );
  });
});
