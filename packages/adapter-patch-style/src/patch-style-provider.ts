import {
  KYC_PROVIDER_SPEC_VERSION,
  ValidationError,
  defaultProviderTextScrubber,
  providerTextScrubber,
  validateApplication,
  type KycLogger,
  type KycProvider,
  type ProviderReport,
  type ProviderTextScrubber,
} from '@openkyc/core';
import { toReport } from './customer-report.js';
import { hostDocuments } from './host-documents.js';
import { mapApplication } from './map-application.js';
import { createPatchStyleApi, type PatchStyleCustomer } from './patch-style-api.js';
import { patchStyleCapabilities } from './patch-style-capabilities.js';
import { createPatchStyleHttp } from './patch-style-http.js';
import { parsePatchStyleOptions, type PatchStyleOptions } from './patch-style-options.js';
import { createPatchStyleWebhooks } from './patch-style-webhooks.js';
import { sendKycData } from './send-kyc-data.js';
import { validatePatchStyleApplication } from './validate-patch-style-application.js';

/**
 * The adapter for "PATCH kycData" providers (`providers/patch-style.md`):
 * create a customer, host the document images and PATCH `kycData` with their
 * URLs, read the customer back, and turn signed `customer.state_changed`
 * webhooks into reports.
 *
 * ```ts
 * patchStyle({ baseUrl, apiKey, webhookSecret: 'whsec_…', hostDocument: (file) => storage.put(file) })
 * ```
 * @throws ConfigurationError naming the bad option (values are never echoed).
 */
export function patchStyle(options: PatchStyleOptions): KycProvider {
  const config = parsePatchStyleOptions(options);
  const provider = config.id;
  const http = createPatchStyleHttp({
    provider,
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    refreshApiKey: config.refreshApiKey,
    dispatcher: config.dispatcher,
    timeoutMs: config.timeoutMs,
    logger: config.logger,
  });
  const api = createPatchStyleApi(http);
  const secrets = typeof config.webhookSecret === 'string' ? [config.webhookSecret] : [...config.webhookSecret];

  return {
    specificationVersion: KYC_PROVIDER_SPEC_VERSION,
    id: provider,
    capabilities: patchStyleCapabilities,
    validate: validatePatchStyleApplication,

    async createCustomer(input, context) {
      if (input.type !== 'individual') {
        throw new ValidationError([
          { path: ['type'], code: 'unsupported_customer_type', message: `${provider} verifies individual customers only` },
        ]);
      }
      const scrubber = providerTextScrubber({ customer: input });
      const customer = await api.createCustomer(
        { type: 'INDIVIDUAL', email: input.email, firstName: input.firstName, lastName: input.lastName },
        // Stable per reference: a retried create (ours or the platform's) gets the same customer back.
        { idempotencyKey: context.idempotencyKey, signal: context.signal, logger: context.logger, scrubber },
      );
      return report(customer, context.logger, scrubber);
    },

    async submit(input, context) {
      // Called directly or through core, the application is checked before anything is hosted or sent
      // (identifier formats, document numbers, proof-of-address kinds, capabilities, this provider's rules).
      const checked = validateApplication(input.application, patchStyleCapabilities, {
        now: () => context.now(),
        customerType: input.type,
        providerValidate: validatePatchStyleApplication,
      });
      if (!checked.success) throw new ValidationError(checked.issues);
      const application = checked.application;
      const scrubber = providerTextScrubber({ application });
      const hosted = await hostDocuments(application.documents, config.hostDocument, { provider, signal: context.signal });
      const mapped = mapApplication(application, hosted);
      const customer = await sendKycData(
        api,
        { customerId: input.providerCustomerId, mapped },
        { provider, signal: context.signal, logger: context.logger, scrubber },
      );
      return report(customer, context.logger, scrubber);
    },

    async fetch(input, context) {
      const customer = await api.getCustomer(input.providerCustomerId, { signal: context.signal, logger: context.logger });
      return report(customer, context.logger, defaultProviderTextScrubber);
    },

    webhooks: createPatchStyleWebhooks({ secrets, toleranceSeconds: config.webhookToleranceSeconds }),

    close: () => http.close(),
  };
}

function report(customer: PatchStyleCustomer, logger: KycLogger, scrubber: ProviderTextScrubber): ProviderReport {
  return toReport(
    {
      customerId: customer.id,
      status: customer.status,
      requiredDocuments: customer.requiredDocuments,
      requiredFields: customer.requiredFields,
      rejectionReason: customer.rejectionReason,
      // The provider's time of this state: when it last changed, else when the record was made.
      occurredAt: customer.updatedAt ?? customer.createdAt,
    },
    { logger, scrubber },
  );
}
