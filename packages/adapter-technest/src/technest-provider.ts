import {
  KYC_PROVIDER_SPEC_VERSION,
  ValidationError,
  defaultProviderTextScrubber,
  providerTextScrubber,
  validateApplication,
  type Application,
  type ProviderTextScrubber,
  type KycProvider,
  type ProviderCallContext,
  type ProviderReport,
} from '@openkyc/core';
import { createTechnestApi, type TechnestCustomer } from './technest-api.js';
import { createAccessTokens } from './technest-auth.js';
import { technestCapabilities } from './technest-capabilities.js';
import type { TechnestCall } from './technest-call.js';
import { createTechnestClient } from './technest-client.js';
import { createOrAdoptCustomer } from './technest-customers.js';
import { translateTechnestError, type ParamScope } from './technest-errors.js';
import { resolveTechnestOptions, type TechnestOptions } from './technest-options.js';
import { submitApplication } from './technest-submit.js';
import { createTechnestWebhooks } from './technest-webhooks.js';
import { customerReport } from './map-customer-report.js';
import { validateTechnestApplication } from './validate-technest-application.js';

/**
 * The Technest adapter: OAuth client credentials, file-slot uploads through
 * pre-signed URLs, three webhook shapes, and a new provider customer per
 * retry after a rejection.
 *
 * ```ts
 * const kyc = createKyc({
 *   providers: [technest({ baseUrl, clientId, clientSecret, webhookSecret })],
 * });
 * ```
 *
 * @throws ConfigurationError naming the bad option (values are never echoed).
 */
export function technest(options: TechnestOptions): KycProvider {
  const config = resolveTechnestOptions(options);
  const provider = config.id;
  const client = createTechnestClient({
    provider,
    baseUrl: config.baseUrl,
    dispatcher: config.dispatcher,
    timeoutMs: config.timeoutMs,
    deadlineMs: config.deadlineMs,
    tokens: (send) => createAccessTokens({ provider, clientId: config.clientId, clientSecret: config.clientSecret, send }),
  });
  const api = createTechnestApi(client);
  const webhooks = createTechnestWebhooks({ secrets: config.webhookSecrets, toleranceSeconds: config.webhookToleranceSeconds });
  const deps = { provider, client, api };

  /**
   * Runs one adapter operation: the call's logger gets the HTTP lines, Technest codes become typed errors,
   * and what the operation sends (`scrubber`) is scrubbed out of every provider text on the way.
   * Not `async`: one promise layer per call, and a synchronous throw arrives as a (translated) rejection too.
   */
  function operation<T>(
    context: ProviderCallContext,
    scope: ParamScope,
    scrubber: ProviderTextScrubber,
    work: (call: TechnestCall) => Promise<T>,
  ): Promise<T> {
    const translate = (error: unknown): never => {
      throw translateTechnestError(error, { provider, scope, scrubber });
    };
    try {
      return work(new OperationCall(context, scrubber)).then(undefined, translate);
    } catch (error) {
      return Promise.reject(translateTechnestError(error, { provider, scope, scrubber }));
    }
  }

  /** `fetch`'s error translation: the same for every call, made once. */
  const translateFetchError = (error: unknown): never => {
    throw translateTechnestError(error, { provider, scope: 'application', scrubber: defaultProviderTextScrubber });
  };
  const fetchedReport = (customer: TechnestCustomer): ProviderReport => {
    try {
      return customerReport(customer);
    } catch (error) {
      return translateFetchError(error);
    }
  };

  const adapter: KycProvider = {
    specificationVersion: KYC_PROVIDER_SPEC_VERSION,
    id: provider,
    capabilities: technestCapabilities,

    validate: validateTechnestApplication,

    async createCustomer(input, context) {
      refuseBusiness(input.type);
      return operation(context, 'customer', providerTextScrubber({ customer: input }), async (call) =>
        customerReport(await createOrAdoptCustomer(deps, { ...input, reference: input.providerReference }, call), {
          withReference: true,
          scrubber: call.scrubber,
        }),
      );
    },

    async submit(input, context) {
      // The same checks core runs, so a direct caller is refused before any request too. Repeated even
      // after core's own check (~5 µs): a memo of "already validated" keyed by a mutable object could be
      // fooled by a caller who validates, then changes the application before submitting.
      const application = checkedApplication(input.application, input.type, context);
      return operation(context, 'application', providerTextScrubber({ application }), (call) =>
        submitApplication(deps, input.providerCustomerId, application, call),
      );
    },

    fetch(input, context) {
      // Reconcile's one call per customer: the GET, its answer mapped, errors translated, in one chain.
      try {
        return api.getCustomer(input.providerCustomerId, new OperationCall(context, defaultProviderTextScrubber)).then(fetchedReport, translateFetchError);
      } catch (error) {
        return Promise.reject(translateTechnestError(error, { provider, scope: 'application', scrubber: defaultProviderTextScrubber }));
      }
    },

    async retry(input, context): Promise<ProviderReport> {
      refuseBusiness(input.type);
      const reference = `${input.reference}-r${input.attempt}`;
      return operation(context, 'customer', providerTextScrubber({ customer: input }), async (call) =>
        customerReport(await createOrAdoptCustomer(deps, { ...input, reference }, call), { withReference: true, scrubber: call.scrubber }),
      );
    },

    webhooks,

    close: () => client.close(),
  };
  return adapter;
}

/** Core's checks and Technest's of an application `submit` was handed without them: the parsed application, or a ValidationError. */
function checkedApplication(application: unknown, customerType: 'individual' | 'business', context: ProviderCallContext): Application {
  const checked = validateApplication(application, technestCapabilities, {
    now: () => context.now(),
    customerType,
    providerValidate: validateTechnestApplication,
  });
  if (!checked.success) throw new ValidationError(checked.issues);
  return checked.application;
}

/** What every adapter call carries down to the HTTP layer: the operation's context and scrubber (no closure per call). */
class OperationCall implements TechnestCall {
  readonly signal: AbortSignal | undefined;
  readonly logger: ProviderCallContext['logger'];
  readonly #context: ProviderCallContext;
  readonly scrubber: ProviderTextScrubber;

  constructor(context: ProviderCallContext, scrubber: ProviderTextScrubber) {
    this.signal = context.signal;
    this.logger = context.logger;
    this.#context = context;
    this.scrubber = scrubber;
  }

  now(): Date {
    return this.#context.now();
  }
}

/** Business customers verify through Technest's KYB onboarding: refused before any request. */
function refuseBusiness(type: 'individual' | 'business'): void {
  if (type === 'individual') return;
  throw new ValidationError([
    {
      path: ['type'],
      code: 'unsupported_customer_type',
      message:
        'Technest verifies individual customers only; onboard business customers through its separate KYB onboarding or another provider.',
    },
  ]);
}
