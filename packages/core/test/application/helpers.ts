/**
 * Small, self-contained fixtures for the application validation tests: real
 * (minimal) JPEG, PNG and PDF bytes, a valid application, capabilities and a
 * fixed clock. Deliberately independent of @openkyc/testkit.
 */
import { deflateSync } from 'node:zlib';
import type { ValidationIssue } from '../../src/errors.js';
import type { ApplicationValidationContext } from '../../src/application/validate-application.js';
import type { FileContentType } from '../../src/models/application.js';
import type { ProviderCapabilities } from '../../src/provider/kyc-provider.js';

// ---------------------------------------------------------------------------
// file bytes

const encoder = new TextEncoder();

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function u32(value: number): Uint8Array {
  return new Uint8Array([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const typeAndData = concat([encoder.encode(type), data]);
  return concat([u32(data.length), typeAndData, u32(crc32(typeAndData))]);
}

/** A 1×1 grey PNG; `size` pads it (with a tEXt chunk) to at least that many bytes. */
export function pngBytes(size = 0): Uint8Array {
  const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = pngChunk('IHDR', concat([u32(1), u32(1), new Uint8Array([8, 0, 0, 0, 0])]));
  // one scanline: filter 0, one grey pixel
  const idat = pngChunk('IDAT', new Uint8Array(deflateSync(new Uint8Array([0x00, 0x80]))));
  const iend = pngChunk('IEND', new Uint8Array(0));
  const base = signature.length + ihdr.length + idat.length + iend.length;
  const paddingLength = Math.max(0, size - base - 12 - 8);
  const padding =
    size > base ? [pngChunk('tEXt', concat([encoder.encode('Comment\0'), new Uint8Array(paddingLength).fill(0x20)]))] : [];
  return concat([signature, ihdr, idat, ...padding, iend]);
}

/** A baseline JPEG skeleton (SOI, APP0/JFIF, COM padding, EOI); `size` pads it to at least that many bytes. */
export function jpegBytes(size = 0): Uint8Array {
  const soi = new Uint8Array([0xff, 0xd8]);
  const app0 = new Uint8Array([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  ]);
  const eoi = new Uint8Array([0xff, 0xd9]);
  const comments: Uint8Array[] = [];
  let remaining = size - (soi.length + app0.length + eoi.length);
  while (remaining > 0) {
    const payload = Math.min(65_533, Math.max(1, remaining - 4));
    comments.push(concat([new Uint8Array([0xff, 0xfe, ((payload + 2) >>> 8) & 0xff, (payload + 2) & 0xff]), new Uint8Array(payload).fill(0x20)]));
    remaining -= payload + 4;
  }
  return concat([soi, app0, ...comments, eoi]);
}

/** A one-page PDF; `size` pads it (with a comment line) to at least that many bytes. */
export function pdfBytes(size = 0): Uint8Array {
  const body =
    '%PDF-1.4\n' +
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n' +
    'trailer << /Root 1 0 R >>\n';
  const tail = '%%EOF\n';
  const padding = Math.max(0, size - body.length - tail.length - 2);
  return encoder.encode(body + (padding > 0 ? `%${' '.repeat(padding)}\n` : '') + tail);
}

export function fileBytes(type: FileContentType, size = 0): Uint8Array {
  switch (type) {
    case 'image/jpeg':
      return jpegBytes(size);
    case 'image/png':
      return pngBytes(size);
    case 'application/pdf':
      return pdfBytes(size);
  }
}

export function file(type: FileContentType = 'image/jpeg', size = 0) {
  const extension = type === 'image/jpeg' ? 'jpg' : type === 'image/png' ? 'png' : 'pdf';
  return { content: fileBytes(type, size), contentType: type, filename: `scan.${extension}` };
}

// ---------------------------------------------------------------------------
// application, capabilities, clock

/** 2026-03-15 12:00 UTC */
export const NOW = new Date('2026-03-15T12:00:00.000Z');

export function context(overrides: Partial<ApplicationValidationContext> & { at?: Date } = {}): ApplicationValidationContext {
  const { at, ...rest } = overrides;
  const instant = at ?? NOW;
  return { now: () => new Date(instant.getTime()), customerType: 'individual', ...rest };
}

export function capabilities(overrides: Partial<ProviderCapabilities> = {}): ProviderCapabilities {
  return {
    documentTypes: ['passport', 'drivers_license', 'residence_permit', 'proof_of_address', 'selfie'],
    twoSidedDocuments: ['drivers_license', 'residence_permit'],
    identityDocumentTypes: ['passport', 'drivers_license', 'residence_permit'],
    requiredFields: [],
    files: { contentTypes: ['image/jpeg', 'image/png', 'application/pdf'], maxBytes: 10 * 1024 * 1024 },
    customerTypes: ['individual'],
    activation: 'none',
    retryAfterRejection: 'new-customer',
    webhooks: true,
    needsInfo: false,
    reviewTime: { synchronous: false, typicalMs: 60_000, escalateAfterMs: 86_400_000 },
    ...overrides,
  };
}

/** A valid application (at `NOW`, with the default `capabilities()`), as plain mutable data. */
export function validApplication() {
  return {
    person: {
      firstName: 'Jane',
      lastName: 'Smith',
      dateOfBirth: '1990-05-15',
      nationality: 'US',
      email: 'jane.smith@example.com',
      phone: '+14155551234',
    },
    address: { line1: '1 Main St', city: 'San Francisco', state: 'California', stateCode: 'CA', postalCode: '94105', country: 'US' },
    identifiers: [{ type: 'ssn', value: '123-45-6789', issuingCountry: 'US' }],
    documents: [
      {
        type: 'passport',
        number: 'P1234567',
        issuingCountry: 'US',
        issuedOn: '2020-01-10',
        expiresOn: '2030-01-09',
        front: file('image/jpeg', 2048),
      },
    ] as Record<string, unknown>[],
    profile: {
      employmentStatus: 'employed',
      occupation: 'Engineer',
      sourceOfFunds: 'employment',
      accountPurpose: 'personal_use',
      expectedMonthlyVolumeUsd: 'under_10k',
      isIntermediary: false,
    },
    contactVerified: { email: true, phone: true },
  };
}

export type TestApplication = ReturnType<typeof validApplication>;

/** A valid application changed by `mutate`. */
export function applicationWith(mutate: (application: TestApplication) => void): TestApplication {
  const application = validApplication();
  mutate(application);
  return application;
}

/** `'person.dateOfBirth'` / `'documents.0.front.contentType'`, for compact assertions. */
export function pathOf(issue: ValidationIssue): string {
  return issue.path.join('.');
}

export function summary(issues: readonly ValidationIssue[]): string[] {
  return issues.map((issue) => `${pathOf(issue)}:${issue.code}`);
}
