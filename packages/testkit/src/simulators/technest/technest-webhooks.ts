import { createHmac } from 'node:crypto';
import { customerToJson, isoSeconds, type TechnestCustomerRecord, type TechnestCustomerStatus } from './technest-state.js';

/** The header Technest signs webhooks in: `t=<unix seconds>,v1=<hex>`. */
export const TECHNEST_SIGNATURE_HEADER = 'Technest-Signature';

/**
 * Builds a `Technest-Signature` header value:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, with one
 * `v1=` entry per secret (several during secret rotation). Use it in tests to
 * sign hand-made payloads, stripe-node style.
 */
export function signTechnestWebhook(
  secrets: string | readonly string[],
  rawBody: string | Uint8Array,
  timestampSeconds: number,
): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new Error('signTechnestWebhook needs at least one secret');
  const t = Math.floor(timestampSeconds);
  const signatures = list.map((secret) => {
    const hmac = createHmac('sha256', secret);
    hmac.update(`${t}.`, 'utf8');
    hmac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
    return `v1=${hmac.digest('hex')}`;
  });
  return [`t=${t}`, ...signatures].join(',');
}

/** The three event shapes found in Technest's docs over time. */
export type TechnestWebhookShape = 'current' | 'dotted' | 'legacy';
/**
 * Which shape(s) a status change emits: one fixed shape, `'rotating'` (current →
 * dotted → legacy → current … one per status change) or `'all'` (all three for
 * every change, as three separate deliveries).
 */
export type TechnestWebhookShapeSetting = TechnestWebhookShape | 'rotating' | 'all';

/** The three webhook body shapes Technest has used (see {@link TechnestWebhookShape}). */
export const TECHNEST_WEBHOOK_SHAPES: readonly TechnestWebhookShape[] = ['current', 'dotted', 'legacy'];

export interface TechnestEventContext {
  /** `evt_…`; ignored by the legacy shape, which has no id. */
  readonly eventId: string;
  /** Event time; ignored by the legacy shape, which has no `created_at`. */
  readonly createdAt: Date;
  readonly previousStatus: TechnestCustomerStatus;
  /**
   * Leave `rejection_reason` out of a current-shape body: the contract shows that
   * shape's `data` without it, so a rejection may arrive saying only "rejected".
   */
  readonly omitRejectionReason?: boolean;
}

/**
 * Builds one webhook body for the customer's current state.
 * - current: `customer.status_changed`, compact `data` with `previous_status`;
 * - dotted: `customer.verified` / `customer.rejected`, `data` = full customer object;
 * - legacy: `customer_verified` / `customer_rejected`, no `id`, no `created_at`.
 * Dotted and legacy only exist for verified / rejected customers.
 */
export function buildTechnestWebhookPayload(
  shape: TechnestWebhookShape,
  customer: TechnestCustomerRecord,
  context: TechnestEventContext,
): Record<string, unknown> {
  switch (shape) {
    case 'current':
      return {
        id: context.eventId,
        event: 'customer.status_changed',
        created_at: isoSeconds(context.createdAt),
        data: { ...compactCustomerData(customer, context.omitRejectionReason === true), previous_status: context.previousStatus },
      };
    case 'dotted':
      return {
        id: context.eventId,
        event: `customer.${terminalStatus(customer, shape)}`,
        created_at: isoSeconds(context.createdAt),
        data: customerToJson(customer),
      };
    case 'legacy':
      return { event: `customer_${terminalStatus(customer, shape)}`, data: compactCustomerData(customer) };
  }
}

/** Resolves a shape setting to the shapes for the `changeIndex`-th status change (0-based). */
export function shapesForStatusChange(setting: TechnestWebhookShapeSetting, changeIndex: number): TechnestWebhookShape[] {
  if (setting === 'all') return [...TECHNEST_WEBHOOK_SHAPES];
  if (setting === 'rotating') return [TECHNEST_WEBHOOK_SHAPES[changeIndex % TECHNEST_WEBHOOK_SHAPES.length] ?? 'current'];
  return [setting];
}

/** `data` as in the seed examples: identity, status and the status's own timestamp (and why, for a rejection, unless omitted). */
function compactCustomerData(customer: TechnestCustomerRecord, omitRejectionReason = false): Record<string, unknown> {
  const data: Record<string, unknown> = {
    object: 'customer',
    id: customer.id,
    customer_reference: customer.customerReference,
    status: customer.status,
  };
  if (customer.status === 'verified' && customer.verifiedAt) data.verified_at = isoSeconds(customer.verifiedAt);
  if (customer.status === 'rejected') {
    if (customer.rejectedAt) data.rejected_at = isoSeconds(customer.rejectedAt);
    if (!omitRejectionReason) data.rejection_reason = customer.rejectionReason;
  }
  return data;
}

function terminalStatus(customer: TechnestCustomerRecord, shape: TechnestWebhookShape): 'verified' | 'rejected' {
  if (customer.status === 'verified' || customer.status === 'rejected') return customer.status;
  throw new Error(`a ${shape} webhook exists only for verified or rejected customers; ${customer.id} is ${customer.status}`);
}
