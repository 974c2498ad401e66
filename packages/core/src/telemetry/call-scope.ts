import type { KycLogger } from '../logging/logger.js';
import type { KycInstruments } from './kyc-telemetry.js';

/**
 * What a provider HTTP call's span needs to know of the operation it serves. It
 * travels with the call's logger: adapters already pass `context.logger` to
 * every `request()`, so the HTTP toolkit finds the scope there without any
 * adapter passing telemetry along.
 */
export interface CallScope {
  readonly instruments: KycInstruments;
  /** The provider id (`openkyc.provider`). */
  readonly provider: string;
  /** The adapter operation (`openkyc.operation`): `createCustomer`, `submit`, `fetch`, `activate`, `retry`. */
  readonly operation: string;
}

const SCOPE = Symbol.for('openkyc.callScope');

/** A logger that forwards to `logger` and carries `scope` for the HTTP toolkit. */
export function withCallScope(logger: KycLogger, scope: CallScope): KycLogger {
  const carrier: KycLogger = Object.create(logger) as KycLogger;
  Object.defineProperty(carrier, SCOPE, { value: scope });
  return carrier;
}

/** The scope a call's logger carries, if core made it. */
export function callScopeOf(logger: KycLogger | undefined): CallScope | undefined {
  return logger === undefined ? undefined : ((logger as unknown as Record<symbol, CallScope | undefined>)[SCOPE] ?? undefined);
}
