import { asCodeSegment, echoedValues, echoForms } from '../shared/echo-faults.js';
import { faultTarget, type FaultSpec, type FaultTarget } from '../shared/fault-injection.js';
import type { PatchStyleErrorCode } from './patch-style-errors.js';

/** Where a preset applies; defaults to every API path, any method, once. */
export type PatchStyleFaultTarget = FaultTarget;

/**
 * An error that echoes what the request sent, as a careless provider does:
 * `message` in the contract's `Validation failed: <field> <problem>; …` style,
 * naming each sent value (and its reformatted forms, dates in words included)
 * as both field and problem, and `error` made of all the values unless a
 * documented `code` is given. For testing that no submitted value reaches an
 * error, a log line or an event.
 */
export function patchStyleEchoFault(options: PatchStyleFaultTarget & { readonly status: number; readonly code?: PatchStyleErrorCode }): FaultSpec {
  return {
    ...faultTarget(options),
    status: options.status,
    body: (request) => {
      const values = echoedValues(request);
      const problems = values.map((value) => `${asCodeSegment(value)} ${echoForms(value).join(', ')} is not accepted`);
      return {
        error: options.code ?? asCodeSegment(values.join(' ')).toUpperCase(),
        message: `Validation failed: ${problems.join('; ')}`,
        statusCode: options.status,
      };
    },
  };
}
