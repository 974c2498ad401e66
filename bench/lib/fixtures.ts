import { randomBytes } from 'node:crypto';
import type { Application } from '@openkyc/core';
import { buildTechnestWebhookPayload, sampleDocument, signTechnestWebhook, technestApplication, type TechnestCustomerRecord } from '@openkyc/testkit';

/**
 * Document size for the submit benchmark. Small on purpose: with realistic
 * 160–280 KB photos the figure measures loopback byte copying (identical on
 * both sides) and the simulator's MD5 of every upload, and the adapter's own
 * per-request cost disappears in it. Both sides send exactly these bytes.
 */
export const BENCH_DOCUMENT_BYTES = 4 * 1024;

/**
 * One application, built once: both sides upload the very same Uint8Arrays.
 * The testkit's Technest application, with its documents at bench size.
 */
export function benchApplication(documentBytes = BENCH_DOCUMENT_BYTES): Application {
  const application = technestApplication();
  return {
    ...application,
    documents: application.documents.map((document) => ({
      ...document,
      front: sampleDocument(document.type, document.front.contentType, { sizeBytes: documentBytes }),
    })),
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

/** A verified Technest record in the simulator's shape, for its payload builder (only what the 'current' shape reads). */
export function verifiedTechnestRecord(record: { readonly providerCustomerId: string; readonly reference: string }, verifiedAt: Date): TechnestCustomerRecord {
  return {
    id: record.providerCustomerId,
    type: 'individual',
    customerReference: record.reference,
    status: 'verified',
    email: 'jane@example.com',
    firstName: 'Jane',
    lastName: 'Smith',
    dateOfBirth: null,
    phone: null,
    country: null,
    address: null,
    createdAt: verifiedAt,
    kycSubmittedAt: null,
    verifiedAt,
    rejectedAt: null,
    rejectionReason: null,
    files: { id_file: null, id_file_back: null, proof_of_address_file: null, liveness_check_file: null },
    reviewStartedAt: null,
  };
}

/** A signed Technest delivery as a `node:http` handler would pass it: a Buffer body and Node-style lower-case headers. */
export interface SignedDelivery {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/**
 * One signed "customer verified" delivery per record (figures 2–3 and the speed-of-light measurement),
 * decided two seconds from now so it is never older than the pending report made at setup.
 */
export function verifiedDeliveries(records: readonly { readonly providerCustomerId: string; readonly reference: string }[], secret: string): SignedDelivery[] {
  const decidedAt = new Date(Date.now() + 2_000);
  const t = Math.floor(Date.now() / 1000);
  return records.map((record) => {
    const body = Buffer.from(
      JSON.stringify(
        buildTechnestWebhookPayload('current', verifiedTechnestRecord(record, decidedAt), {
          eventId: `evt_${randomBytes(12).toString('hex')}`,
          createdAt: decidedAt,
          previousStatus: 'pending',
        }),
      ),
    );
    return {
      headers: {
        host: '127.0.0.1:3000',
        'user-agent': 'Technest-Webhooks/1.0',
        'content-type': 'application/json',
        'content-length': String(body.length),
        'technest-signature': signTechnestWebhook(secret, body, t),
      },
      body,
    };
  });
}
