import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { lazySchema } from '../../values/lazy-schema.js';
import { KycError, ValidationError, type ValidationIssue } from '../../errors.js';
import { LIFECYCLE_MACHINE_VERSION } from '../../lifecycle/lifecycle-machine.js';
import type { Customer } from '../../models/customer.js';
import type { ProviderReport } from '../../provider/kyc-provider.js';
import { eventFor } from '../apply-provider-report.js';
import type { CreateCustomerInput } from '../kyc.js';
import { applyReportWithRetry, callContext, providerById, type KycContext } from '../kyc-context.js';
import { reconcileDueAt } from '../reconcile-due.js';
import { applyParkedFor } from './apply-parked-webhooks.js';

/**
 * `kyc.createCustomer`: validates the input, creates the provider record (adapters adopt what an earlier
 * try made for the same reference), stores the customer with its `customer.created` event, and applies
 * any later status the provider already reports. Idempotent on `reference`.
 */
export async function createCustomer(ctx: KycContext, input: CreateCustomerInput): Promise<Customer> {
  const data = parseInput(input);
  const existing = await ctx.store.findByReference(data.reference);
  if (existing !== undefined) return existing;

  const provider = providerById(ctx, data.provider ?? ctx.defaultProvider);
  if (!provider.capabilities.customerTypes.includes(data.type)) {
    throw new ValidationError([
      {
        path: ['type'],
        code: 'unsupported_customer_type',
        message: `${provider.id} verifies ${provider.capabilities.customerTypes.join(' and ')} customers only; onboard ${data.type} customers through the provider's separate flow or another provider`,
      },
    ]);
  }

  const id = `cus_${randomUUID().replaceAll('-', '')}`;
  const askedAt = ctx.now();
  const report = await provider.createCustomer(
    {
      customerId: id,
      reference: data.reference,
      providerReference: data.reference,
      type: data.type,
      email: data.email,
      firstName: data.firstName,
      lastName: data.lastName,
    },
    callContext(ctx, provider, 'createCustomer', `create:${provider.id}:${data.reference}`),
  );

  const fresh = newCustomer(id, data, provider.id, report, ctx.now().toISOString());
  const created = eventFor(fresh, null, 'created', {
    at: fresh.createdAt,
    occurredAt: report.occurredAt,
    source: 'api',
    providerStatus: report.rawStatus,
    seq: 1,
  });
  const result = await ctx.store.commit({ customer: fresh, expectedVersion: 0, events: [created], reconcileDueAt: reconcileDueAt(ctx.reconcileSchedule, fresh) });
  if (!result.ok) {
    // Someone created the same reference concurrently: theirs wins, ours is the same provider record.
    const winner = await ctx.store.findByReference(data.reference);
    if (winner !== undefined) return winner;
    throw new KycError('store_conflict', `Could not store the new customer (${result.reason}); try again.`, { retryable: true });
  }
  ctx.bus.publish([created]);
  ctx.logger.info({ customerId: id, provider: provider.id }, 'customer created');

  // A provider that already knew this reference may report a later status.
  const current = report.status !== 'created' ? await applyReportWithRetry(ctx, id, report, 'api', askedAt) : fresh;
  // Webhooks that reached us before this commit were parked: they apply now.
  return applyParkedFor(ctx, current);
}

// --- helpers ---------------------------------------------------------------

const createCustomerInputSchema = lazySchema((z) =>
  z.object({
    reference: z.string().trim().min(1).max(128),
    type: z.enum(['individual', 'business']),
    email: z.email(),
    firstName: z.string().trim().min(1).max(100),
    lastName: z.string().trim().min(1).max(100),
    provider: z.string().min(1).optional(),
  }),
);

type ParsedInput = z.infer<ReturnType<typeof createCustomerInputSchema>>;

function parseInput(input: CreateCustomerInput): ParsedInput {
  const parsed = createCustomerInputSchema().safeParse(input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error));
  return parsed.data;
}

function newCustomer(id: string, data: ParsedInput, provider: string, report: ProviderReport, at: string): Customer {
  const providerReference = report.providerReference ?? data.reference;
  return {
    id,
    reference: data.reference,
    type: data.type,
    email: data.email,
    firstName: data.firstName,
    lastName: data.lastName,
    provider,
    providerCustomerId: report.providerCustomerId,
    providerReference,
    attempts: [
      { number: 1, providerCustomerId: report.providerCustomerId, providerReference, status: 'created', rawStatus: report.rawStatus, startedAt: at },
    ],
    status: 'created',
    rawStatus: report.rawStatus,
    requirements: [],
    submissions: 0,
    machineVersion: LIFECYCLE_MACHINE_VERSION,
    lastCheckedAt: at,
    createdAt: at,
    updatedAt: at,
    ignored: [],
    eventCount: 1,
    version: 1,
  };
}

function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== 'symbol'),
    code: issue.code,
    message: issue.message,
  }));
}
