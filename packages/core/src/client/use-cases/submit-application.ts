import { validateApplication } from '../../application/validate-application.js';
import { markValidatedForSubmit } from '../../application/validated-for-submit.js';
import { ConfigurationError, InvalidStateError, NotRetryableError, ValidationError } from '../../errors.js';
import type { Application } from '../../models/application.js';
import type { Customer, CustomerAttempt } from '../../models/customer.js';
import type { CustomerStatus } from '../../models/customer-status.js';
import type { KycProvider } from '../../provider/kyc-provider.js';
import type { ValidationResult } from '../kyc.js';
import { applyReportWithRetry, callContext, commitWithRetry, mustGetCustomer, providerById, type KycContext } from '../kyc-context.js';
import { applyParkedFor } from './apply-parked-webhooks.js';
import { refreshCustomer } from './refresh-customer.js';

/**
 * `kyc.submit`: checks the status and the application (before any request), prepares a new provider record
 * after a rejection where the provider needs one, sends the application and applies the provider's answer.
 * One submit per customer at a time in this process.
 */
export function submitApplication(ctx: KycContext, customerId: string, application: Application): Promise<Customer> {
  return ctx.customerLock.run(customerId, async () => {
    let customer = await mustGetCustomer(ctx, customerId);
    const provider = providerById(ctx, customer.provider);
    const hint = SUBMIT_HINTS[customer.status];
    if (hint !== undefined) throw new InvalidStateError('submit', customer.status, hint);

    const validatedAt = ctx.now();
    const checked = validateApplication(application, provider.capabilities, {
      now: () => validatedAt,
      customerType: customer.type,
      providerValidate: provider.validate?.bind(provider),
    });
    if (!checked.success) throw new ValidationError(checked.issues);
    // The adapter validates what its submit is handed again; this lets it see that this copy passed
    // the same checks an instant ago (see validated-for-submit.ts).
    markValidatedForSubmit(checked.application, {
      capabilities: provider.capabilities,
      customerType: customer.type,
      providerValidate: provider.validate,
      now: validatedAt,
    });

    if (customer.status === 'rejected') {
      // A rejection announced without its reason is final until the provider says why: ask first.
      if (isUnexplained(customer)) customer = await refreshCustomer(ctx, customer.id, 'api');
      const hint = SUBMIT_HINTS[customer.status];
      if (hint !== undefined) throw new InvalidStateError('submit', customer.status, hint);
      if (customer.status === 'rejected') customer = await prepareRetry(ctx, customer, provider);
    }

    const askedAt = ctx.now();
    const submitted = await provider.submit(
      {
        customerId: customer.id,
        providerCustomerId: customer.providerCustomerId,
        providerReference: customer.providerReference,
        application: checked.application,
        type: customer.type,
        submission: customer.submissions + 1,
      },
      callContext(ctx, provider, 'submit', `submit:${customer.id}:${customer.submissions + 1}`),
    );
    // A retry's submission goes through pending (DESIGN: rejected ──retry──▶ pending) even when the
    // provider answers with its verdict at once (clients-command verifies synchronously).
    const report =
      customer.status === 'rejected' && submitted.previousStatus === undefined && submitted.status !== 'pending'
        ? { ...submitted, previousStatus: 'pending' as const }
        : submitted;
    // `customer` is the version this submit read (or committed, after a rejection) under the customer
    // lock: tried first instead of reading it again; a webhook committed meanwhile makes that versioned
    // commit lose, and the store's latest is read and the report applied to it.
    return applyReportWithRetry(
      ctx,
      customerId,
      report,
      'api',
      askedAt,
      (next) => ({
        ...next,
        submissions: next.submissions + 1,
        lastCheckedAt: ctx.now().toISOString(),
      }),
      customer,
    );
  });
}

/** `kyc.validate`: every issue of an application for a provider, before any network call. */
export function validateForProvider(ctx: KycContext, application: unknown, providerId?: string): ValidationResult {
  const provider = providerById(ctx, providerId ?? ctx.defaultProvider);
  const result = validateApplication(application, provider.capabilities, {
    now: () => ctx.now(),
    providerValidate: provider.validate?.bind(provider),
  });
  return result.success ? { valid: true, issues: [] } : { valid: false, issues: result.issues };
}

// --- helpers ---------------------------------------------------------------

/** Statuses `submit` accepts, and what to do instead elsewhere. */
const SUBMIT_HINTS: Readonly<Record<CustomerStatus, string | undefined>> = {
  created: undefined,
  needs_info: undefined,
  rejected: undefined,
  pending: 'the provider is reviewing the last submission; wait for its decision (webhook, refresh or reconcile)',
  verified: 'the customer is already verified',
  active: 'the customer is already verified and active',
  deactivated: 'the customer was deactivated; create a new customer to start over',
};

/** A rejection with no reason from the provider (the webhook left it out): not known to be retryable yet. */
function isUnexplained(customer: Customer): boolean {
  return customer.rejection === undefined || (customer.rejection.code === 'other' && customer.rejection.providerReason === undefined);
}

/** After a rejection, gets a provider record ready for the next submission, per the provider's retry mode. */
async function prepareRetry(ctx: KycContext, customer: Customer, provider: KycProvider): Promise<Customer> {
  if (customer.rejection !== undefined && !customer.rejection.retryable) {
    throw new NotRetryableError(
      `The provider's rejection (${customer.rejection.code}) cannot be retried; contact the provider's support or create a new customer after review.`,
    );
  }
  const mode = provider.capabilities.retryAfterRejection;
  const current = customer.attempts.at(-1);
  // Resubmit-on-the-same-record providers need nothing; an attempt already prepared by an
  // earlier submit that failed later must not be prepared twice (no `-r3` for one retry).
  if (mode === 'resubmit' || current === undefined || current.status !== 'rejected') return customer;
  if (provider.retry === undefined) {
    throw new ConfigurationError(`Adapter '${provider.id}' declares retryAfterRejection '${mode}' but has no retry().`);
  }
  const attemptNumber = customer.attempts.length + 1;
  const report = await provider.retry(
    {
      customerId: customer.id,
      providerCustomerId: customer.providerCustomerId,
      providerReference: customer.providerReference,
      reference: customer.reference,
      type: customer.type,
      email: customer.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
      attempt: attemptNumber,
    },
    callContext(ctx, provider, 'retry', `retry:${customer.id}:${attemptNumber}`),
  );
  const prepared = await commitWithRetry(ctx, customer.id, (latest) => {
    const at = ctx.now().toISOString();
    const attempts: CustomerAttempt[] =
      mode === 'new-customer'
        ? [
            ...latest.attempts,
            {
              number: attemptNumber,
              providerCustomerId: report.providerCustomerId,
              providerReference: report.providerReference ?? `${latest.reference}-r${attemptNumber}`,
              status: report.status,
              rawStatus: report.rawStatus,
              startedAt: at,
            },
          ]
        : latest.attempts.map((attempt, index, all) =>
            index === all.length - 1 ? { ...attempt, status: report.status, rawStatus: report.rawStatus } : attempt,
          );
    const current = attempts.at(-1)!;
    return {
      customer: {
        ...latest,
        attempts,
        providerCustomerId: current.providerCustomerId,
        providerReference: current.providerReference,
        rawStatus: report.rawStatus,
        updatedAt: at,
        version: latest.version + 1,
      },
      events: [],
    };
  });
  // Webhooks about the new record that came before this commit were parked: they apply now.
  return applyParkedFor(ctx, prepared);
}
