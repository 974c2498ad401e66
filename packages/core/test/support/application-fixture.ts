import type { Application } from '../../src/models/application.js';

/** Values that must never appear in an error message, a `cause` or a log line. */
export const CANARY = {
  documentNumber: 'CANARYDOC778899',
  nationalId: '287-65-4329',
  dateOfBirth: '1987-03-14',
} as const;

/** JPEG magic bytes followed by padding: enough for magic-byte detection. */
export function jpegBytes(size = 2048): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  bytes[size - 2] = 0xff;
  bytes[size - 1] = 0xd9;
  return bytes;
}

export function sampleApplication(overrides: Partial<Application> = {}): Application {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Smith',
      dateOfBirth: CANARY.dateOfBirth,
      nationality: 'US',
      email: 'jane@example.com',
      phone: '+14155551234',
    },
    address: { line1: '1 Main St', city: 'Springfield', state: 'Illinois', stateCode: 'IL', postalCode: '62701', country: 'US' },
    identifiers: [{ type: 'ssn', value: CANARY.nationalId, issuingCountry: 'US' }],
    documents: [
      {
        type: 'passport',
        number: CANARY.documentNumber,
        issuingCountry: 'US',
        expiresOn: '2034-01-01',
        front: { content: jpegBytes(), contentType: 'image/jpeg', filename: 'passport.jpg' },
      },
    ],
    ...overrides,
  };
}
