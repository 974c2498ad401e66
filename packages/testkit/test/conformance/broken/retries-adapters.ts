/**
 * Broken adapters for the "retries and idempotency" group: each is one of our
 * real adapters with one realistic retry bug. `teeth.test.ts` runs the
 * conformance suite against each and asserts that the group fails it.
 */
import { technest } from '@openkyc/adapter-technest';
import { ProviderError, type KycProvider } from '@openkyc/core';
import { createHttpClient } from '@openkyc/core/http';
import type { ClientsCommandSimulator, ConformanceProviderOptions, PatchStyleConformanceSimulator, TechnestSimulator } from '@openkyc/testkit';
import { Agent, type Dispatcher } from 'undici';
import { realClientsCommand, realPatchStyle } from './real-adapters.js';

/**
 * Patch-style whose create ignores the call's idempotency key: it still
 * declares the create safe to repeat, so a create repeated after a lost
 * response makes a second customer.
 */
export function keylessCreatePatchStyle({ sim, documentHost }: PatchStyleConformanceSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realPatchStyle({ sim, documentHost }, options);
  return { ...real, createCustomer: (input, context) => real.createCustomer(input, { ...context, idempotencyKey: '' }) };
}

/**
 * Technest whose customer update (`PATCH /v1/customers/{id}`) is not marked
 * safe to repeat, so the HTTP toolkit never repeats it: a 5xx, a reset or a
 * lost response on it fails the submit. Built with a dispatcher that lets
 * each PATCH through once and refuses the toolkit's repeats of it (same
 * request body) before they reach the provider — what the provider sees is
 * exactly an adapter that does not retry.
 */
export function noUpdateRetryTechnest(sim: TechnestSimulator, options: ConformanceProviderOptions): KycProvider {
  return technest({
    baseUrl: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    webhookSecret: [...sim.webhookSecrets],
    ...options,
    dispatcher: withoutRepeats('PATCH', /^\/v1\/customers\/[^/]+$/),
  });
}

/**
 * Clients-command whose create reports the contract's duplicate answer (403
 * `error.msg.client.duplicate.externalId`) as an error instead of adopting the
 * client an earlier, lost attempt made. Everything else is the real adapter.
 */
export function noAdoptClientsCommand(sim: ClientsCommandSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realClientsCommand(sim, options);
  const http = createHttpClient({
    provider: real.id,
    baseUrl: sim.baseUrl,
    dispatcher: options.dispatcher,
    timeoutMs: options.timeoutMs,
    mapError: () => undefined,
    headers: { ...sim.authHeaders(), accept: 'application/json' },
  });
  return {
    ...real,
    async createCustomer(input, context) {
      const response = await http.request({
        method: 'POST',
        path: 'v1/clients',
        // "Safe: a repeat is refused as a duplicate" — but the duplicate answer is never adopted below.
        idempotent: true,
        json: {
          officeId: 1,
          legalFormId: 1,
          firstname: input.firstName,
          lastname: input.lastName,
          externalId: input.providerReference,
          emailAddress: input.email,
          submittedOnDate: fineractDate(context.now()),
          active: false,
          dateFormat: 'dd MMMM yyyy',
          locale: 'en',
        },
        logger: context.logger,
        signal: context.signal,
      });
      const { clientId } = response.json() as { clientId?: number };
      if (typeof clientId !== 'number') throw new ProviderError('clients-command answered a create without clientId', { provider: real.id, retryable: false });
      return { providerCustomerId: String(clientId), status: 'created', rawStatus: 'Pending', providerReference: input.providerReference };
    },
    async close() {
      await http.close();
      await real.close?.();
    },
  };
}

/** `22 November 2026`, as the contract's dates are sent. */
function fineractDate(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/**
 * A dispatcher through which each `method` request to a matching path goes
 * once: a repeat with the same body (the HTTP toolkit's retry of that
 * request) fails without being sent.
 */
function withoutRepeats(method: string, path: RegExp): Dispatcher {
  const sent = new WeakSet<object>();
  return new Agent().compose((dispatch) => (options, handler) => {
    const body = options.body;
    if (options.method !== method || !path.test(String(options.path).split('?')[0]!) || typeof body !== 'object' || body === null) {
      return dispatch(options, handler);
    }
    if (sent.has(body)) throw Object.assign(new Error('the adapter does not repeat this request'), { code: 'NOT_REPEATED' });
    sent.add(body);
    return dispatch(options, handler);
  });
}
