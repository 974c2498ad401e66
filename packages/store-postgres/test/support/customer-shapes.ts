import type { Customer, KycEvent } from '@openkyc/core';

/** A customer with its events (and the delivery that made the last change). */
export interface Shape {
  readonly customer: Customer;
  readonly events: readonly KycEvent[];
  readonly dedupeKey?: string;
}

/** Customers and events covering every optional field and list shape the conversion maps. */
export function everyShape(): Shape[] {
  const at = (day: number, ms = 0) => new Date(Date.UTC(2026, 10, day, 10, 0, 0, ms)).toISOString();
  const full: Customer = {
    id: 'cus_full',
    reference: 'user-full',
    type: 'individual',
    email: 'jane@example.com',
    firstName: 'Jane',
    lastName: 'Smith',
    provider: 'p',
    providerCustomerId: 'rec_full_2',
    providerReference: 'user-full-r2',
    attempts: [
      { number: 1, providerCustomerId: 'rec_full_1', providerReference: 'user-full', status: 'rejected', rawStatus: 'DECLINED', startedAt: at(20) },
      { number: 2, providerCustomerId: 'rec_full_2', providerReference: 'user-full-r2', status: 'pending', rawStatus: 'IN_REVIEW', startedAt: at(21, 123) },
    ],
    status: 'needs_info',
    rawStatus: 'NEEDS_INFO',
    requirements: [
      { kind: 'document', name: 'passport', message: 'Upload a passport photo.', providerCode: 'DOC_MISSING' },
      { kind: 'field', name: 'address', message: 'Add your address, "in full".' },
    ],
    rejection: { code: 'document_expired', message: 'The document has expired.', providerReason: 'Passport expired in 2019, Jane Smith', retryable: true },
    verificationLevel: 'FULL',
    submissions: 2,
    machineVersion: 3,
    lastReportAt: at(22, 1),
    lastReceivedAt: at(22, 2),
    lastCheckedAt: at(22, 3),
    pendingSince: at(22, 4),
    reviewOverdueAt: at(23),
    reviewOverdueLevel: 2,
    createdAt: at(20),
    updatedAt: at(23),
    submittedAt: at(21),
    verifiedAt: at(21, 5),
    activatedAt: at(21, 6),
    rejectedAt: at(20, 7),
    deactivatedAt: at(21, 8),
    ignored: [
      { at: at(22, 11), source: 'webhook', status: 'verified', rawStatus: 'APPROVED', occurredAt: at(22, 9), reason: 'stale' },
      { at: at(22, 12), source: 'poll', status: 'created', rawStatus: 'NEW', occurredAt: at(22, 12), reason: 'invalid_transition' },
    ],
    eventCount: 9,
    version: 7,
  };
  const base = { customerId: full.id, reference: full.reference, provider: full.provider, providerCustomerId: full.providerCustomerId, source: 'webhook' as const };
  const events: KycEvent[] = [
    { ...base, id: 'evt_full_1', type: 'customer.created', from: null, to: 'created', at: at(20), source: 'api' },
    { ...base, id: 'evt_full_2', type: 'customer.submitted', from: 'created', to: 'pending', at: at(20, 1) },
    { ...base, id: 'evt_full_3', type: 'customer.rejected', from: 'pending', to: 'rejected', at: at(20, 7), occurredAt: at(20, 6), rejection: full.rejection! },
    {
      ...base,
      id: 'evt_full_4',
      type: 'customer.rejected',
      from: 'pending',
      to: 'rejected',
      at: at(20, 8),
      rejection: { code: 'other', message: 'Contact support.', retryable: false },
    },
    { ...base, id: 'evt_full_5', type: 'customer.needs_info', from: 'pending', to: 'needs_info', at: at(21), requirements: full.requirements },
    { ...base, id: 'evt_full_6', type: 'customer.needs_info', from: 'pending', to: 'needs_info', at: at(21, 1), requirements: [] },
    { ...base, id: 'evt_full_7', type: 'customer.verified', from: 'pending', to: 'verified', at: at(21, 5), verificationLevel: 'FULL' },
    { ...base, id: 'evt_full_8', type: 'customer.verified', from: 'pending', to: 'verified', at: at(21, 5) },
    { ...base, id: 'evt_full_9', type: 'customer.activated', from: 'verified', to: 'active', at: at(21, 6), source: 'poll' },
    {
      ...base,
      id: 'evt_full_10',
      type: 'customer.review_overdue',
      from: 'pending',
      to: 'pending',
      at: at(23),
      pendingSince: at(22, 4),
      escalateAfterMs: 3_000_000_000,
      level: 2,
      action: 'contact_support',
    },
    { ...base, id: 'evt_full_11', type: 'customer.deactivated', from: 'active', to: 'deactivated', at: at(23, 1) },
  ];
  const plain: Customer = {
    id: 'cus_plain',
    reference: 'user-plain',
    type: 'business',
    email: 'ops@example.org',
    firstName: 'Name on file',
    lastName: 'Name on file',
    provider: 'q',
    providerCustomerId: 'rec_plain',
    providerReference: 'user-plain',
    attempts: [{ number: 1, providerCustomerId: 'rec_plain', providerReference: 'user-plain', status: 'created', rawStatus: 'created', startedAt: at(24) }],
    status: 'created',
    rawStatus: 'created',
    requirements: [],
    submissions: 0,
    machineVersion: 1,
    createdAt: at(24),
    updatedAt: at(24),
    ignored: [],
    eventCount: 1,
    version: 1,
  };
  const plainCreated: KycEvent = {
    id: 'evt_plain_1',
    type: 'customer.created',
    customerId: plain.id,
    reference: plain.reference,
    provider: plain.provider,
    providerCustomerId: plain.providerCustomerId,
    from: null,
    to: 'created',
    at: at(24),
    source: 'api',
  };
  return [
    { customer: full, events, dedupeKey: 'evt_delivery_full' },
    { customer: plain, events: [plainCreated] },
  ];
}

