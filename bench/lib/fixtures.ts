import type { Application } from '@openkyc/core';
import { sampleDocument } from '@openkyc/testkit';

/**
 * Document size for the submit benchmark. Small on purpose: with realistic
 * 160–280 KB photos the figure measures loopback byte copying (identical on
 * both sides) and the simulator's MD5 of every upload, and the adapter's own
 * per-request cost disappears in it. Both sides send exactly these bytes.
 */
export const BENCH_DOCUMENT_BYTES = 4 * 1024;

/** One application, built once: both sides upload the very same Uint8Arrays. */
export function benchApplication(documentBytes = BENCH_DOCUMENT_BYTES): Application {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Smith',
      dateOfBirth: '1990-05-15',
      nationality: 'GB',
      email: 'jane@example.com',
      phone: '+447911123456',
    },
    address: { line1: '1 High St', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    documents: [
      {
        type: 'passport',
        number: '533380006',
        issuingCountry: 'GB',
        expiresOn: '2033-04-30',
        front: sampleDocument('passport', 'image/jpeg', { sizeBytes: documentBytes }),
      },
      { type: 'proof_of_address', front: sampleDocument('proof_of_address', 'application/pdf', { sizeBytes: documentBytes }) },
      { type: 'selfie', front: sampleDocument('selfie', 'image/png', { sizeBytes: documentBytes }) },
    ],
  };
}

export const SIM_CREDENTIALS = {
  clientId: 'bench_client',
  clientSecret: 'bench_client_secret_0123456789',
  webhookSecret: 'whsec_bench_0123456789abcdef',
} as const;

export interface SimUrls {
  readonly url: string;
  readonly storageUrl: string;
}
