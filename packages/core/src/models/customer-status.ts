import { z } from 'zod';

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

export const customerStatusSchema = z.enum(CUSTOMER_STATUSES);
export type CustomerStatus = z.infer<typeof customerStatusSchema>;

/** No provider report moves a customer out of these. */
export const FINAL_STATUSES: ReadonlySet<CustomerStatus> = new Set(['deactivated']);
