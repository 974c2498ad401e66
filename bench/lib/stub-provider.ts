import {
  KYC_PROVIDER_SPEC_VERSION,
  type CustomerStatus,
  type KycProvider,
  type ProviderCapabilities,
  type ProviderReport,
} from '@openkyc/core';

/**
 * An in-process provider for setting up store contents through the public API
 * (`kyc.createCustomer`, `kyc.refresh`) without a network: `createCustomer`
 * reports `created` with a provider id derived from the reference, `fetch`
 * reports whatever `statusFor` says now. It keeps no per-customer state of its
 * own, so it adds nothing to the memory figure.
 */
export function stubProvider(options: {
  readonly id: string;
  readonly providerCustomerId: (reference: string) => string;
  readonly statusFor: (providerCustomerId: string) => CustomerStatus;
  readonly capabilities?: Partial<ProviderCapabilities>;
}): KycProvider {
  const report = (providerCustomerId: string, status: CustomerStatus): ProviderReport => ({
    providerCustomerId,
    status,
    rawStatus: RAW[status],
    ...(status === 'rejected' ? { rejection: { code: 'document_unreadable', message: 'We could not read your document.', retryable: true } } : {}),
  });
  return {
    specificationVersion: KYC_PROVIDER_SPEC_VERSION,
    id: options.id,
    capabilities: { ...STUB_CAPABILITIES, ...options.capabilities },
    async createCustomer(input) {
      return report(options.providerCustomerId(input.providerReference), 'created');
    },
    async submit(input) {
      return report(input.providerCustomerId, options.statusFor(input.providerCustomerId));
    },
    async fetch(input) {
      return report(input.providerCustomerId, options.statusFor(input.providerCustomerId));
    },
  };
}

const RAW: Record<CustomerStatus, string> = {
  created: 'CREATED',
  pending: 'UNDER_REVIEW',
  needs_info: 'NEEDS_ADDITIONAL_INFORMATION',
  verified: 'VERIFIED',
  active: 'ACTIVE',
  rejected: 'REJECTED',
  deactivated: 'DEACTIVATED',
};

const STUB_CAPABILITIES: ProviderCapabilities = {
  documentTypes: ['passport', 'proof_of_address', 'selfie'],
  twoSidedDocuments: [],
  identityDocumentTypes: ['passport'],
  requiredFields: [],
  files: { contentTypes: ['image/jpeg', 'image/png', 'application/pdf'], maxBytes: 10 * 1024 * 1024 },
  customerTypes: ['individual'],
  activation: 'automatic',
  retryAfterRejection: 'resubmit',
  webhooks: false,
  needsInfo: true,
  reviewTime: { synchronous: false, typicalMs: 600_000, escalateAfterMs: 5 * 3_600_000 },
};
