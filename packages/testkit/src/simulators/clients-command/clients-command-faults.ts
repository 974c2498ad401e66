import { asCodeSegment, echoedValues, echoForms, echoSentence } from '../shared/echo-faults.js';
import { faultTarget, type FaultSpec, type FaultTarget } from '../shared/fault-injection.js';
import { faultBody } from './clients-command-errors.js';

/**
 * Fault presets in Fineract's envelope, and faults applied AFTER the handler
 * ran (the shared server only applies them before). The latter model a
 * response lost on the way back — the client was created, but the caller saw
 * a 503 or timed out — which is what the contract's
 * `GET /v1/clients?externalId=…` lookup is for.
 */

/** Where a preset applies; defaults to every API path, any method, once. */
export type ClientsCommandFaultTarget = FaultTarget;

/** 429 `error.msg.too.many.requests` with `Retry-After: <seconds>` (default 1). */
export function clientsCommandRateLimitFault(options: ClientsCommandFaultTarget & { readonly retryAfterSeconds?: number } = {}): FaultSpec {
  return {
    ...faultTarget(options),
    status: 429,
    headers: { 'Retry-After': String(options.retryAfterSeconds ?? 1) },
    body: faultBody(429),
  };
}

/** A 5xx (default 500 `error.msg.platform.server.side.error`; 503 `…service.unavailable`). */
export function clientsCommandServerErrorFault(options: ClientsCommandFaultTarget & { readonly status?: number } = {}): FaultSpec {
  const status = options.status ?? 500;
  if (!Number.isInteger(status) || status < 500 || status > 599) throw new RangeError(`server error status must be 5xx, got ${status}`);
  return { ...faultTarget(options), status, body: faultBody(status) };
}

/** A status fault without a body gets the Fineract envelope for its status. */
export function withFineractBody(spec: FaultSpec): FaultSpec {
  return spec.status !== undefined && spec.status >= 400 && spec.body === undefined && spec.reset !== true ? { ...spec, body: faultBody(spec.status) } : spec;
}

/**
 * An error that echoes what the request sent, as Fineract installations do in
 * their developer messages, `value`s, `args` and — with custom validators —
 * codes and parameter names: every sent value (and its reformatted forms,
 * dates in words included) in the texts, each as an entry whose code and
 * `parameterName` carry it, and all of them in the top-level code unless a
 * documented `code` is given.
 */
export function clientsCommandEchoFault(options: ClientsCommandFaultTarget & { readonly status: number; readonly code?: string }): FaultSpec {
  return {
    ...faultTarget(options),
    status: options.status,
    body: (request) => {
      const values = echoedValues(request);
      const sentence = `Refused ${echoSentence(values)}`;
      return {
        developerMessage: sentence,
        httpStatusCode: String(options.status),
        defaultUserMessage: sentence,
        userMessageGlobalisationCode: options.code ?? `error.msg.client.${asCodeSegment(values.join(' '))}`,
        errors: values.map((value) => ({
          developerMessage: `The value ${echoForms(value).join(', ')} is invalid.`,
          defaultUserMessage: `The value ${value} is invalid.`,
          userMessageGlobalisationCode: `validation.msg.client.${asCodeSegment(value)}.invalid`,
          parameterName: value,
          value,
          args: [{ value }],
        })),
      };
    },
  };
}
