import type { Application } from '../models/application.js';
import type { ProviderCapabilities } from '../provider/kyc-provider.js';

/**
 * Applications `kyc.submit` has just validated, on their way to the provider's `submit`.
 *
 * An adapter validates what its `submit` is handed (it may be called directly, without core). Through
 * `kyc.submit` that is the second time: core checked the same object an instant before, against the
 * same capabilities and the adapter's own `validate` (about 5–10 µs of a submit, mostly zod). The mark
 * lets `validateApplication` answer the adapter's call from core's: it is set only by core's submit
 * (not exported), only on core's own parsed copy (`validateApplication(...).application`, which no
 * caller holds), and names exactly the checks that ran. Any other call (another capabilities object,
 * validate function, customer type or UTC day) validates in full.
 */
const validatedForSubmit = new WeakMap<object, ValidatedStamp>();

interface ValidatedStamp {
  readonly capabilities: ProviderCapabilities;
  readonly customerType: 'individual' | 'business' | undefined;
  /** The adapter's `validate` as declared on the provider (not a bound copy), or undefined. */
  readonly providerValidate: unknown;
  /** UTC day of the check: the age and expiry rules depend on it. */
  readonly day: number;
}

const DAY_MS = 86_400_000;

/** Core's submit: `application` (its parsed copy) passed these checks at `now`. */
export function markValidatedForSubmit(
  application: Application,
  stamp: Omit<ValidatedStamp, 'day'> & { readonly now: Date },
): void {
  validatedForSubmit.set(application, {
    capabilities: stamp.capabilities,
    customerType: stamp.customerType,
    providerValidate: stamp.providerValidate,
    day: Math.floor(stamp.now.getTime() / DAY_MS),
  });
}

/** True when core's submit already ran exactly these checks on this very object today. */
export function wasValidatedForSubmit(
  input: unknown,
  capabilities: ProviderCapabilities,
  customerType: 'individual' | 'business' | undefined,
  providerValidate: unknown,
  now: Date,
): input is Application {
  if (typeof input !== 'object' || input === null) return false;
  const stamp = validatedForSubmit.get(input);
  return (
    stamp !== undefined &&
    stamp.capabilities === capabilities &&
    stamp.customerType === customerType &&
    stamp.providerValidate === providerValidate &&
    stamp.day === Math.floor(now.getTime() / DAY_MS)
  );
}
