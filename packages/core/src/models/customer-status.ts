import type { z } from 'zod';
import { lazySchema } from '../values/lazy-schema.js';

/** The normalized lifecycle statuses every provider is mapped onto. */
export const CUSTOMER_STATUSES = [
  'created',
  'pending',
  'needs_info',
  'verified',
  'active',
  'rejected',
  'deactivated',
] as const;

/** Zod schema of {@link CustomerStatus}. */
export const customerStatusSchema = lazySchema((z) => z.enum(CUSTOMER_STATUSES));
/**
 * A normalized lifecycle status: `created`, `pending`, `needs_info`, `verified`, `active`, `rejected` or
 * `deactivated`.
 */
export type CustomerStatus = z.infer<ReturnType<typeof customerStatusSchema>>;

/** No provider report moves a customer out of these. */
export const FINAL_STATUSES: ReadonlySet<CustomerStatus> = new Set(['deactivated']);
