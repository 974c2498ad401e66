/**
 * Deliberately broken adapters (Technest and clients-command). `teeth.test.ts`
 * runs the conformance suite against each and asserts that it fails, so a
 * suite that stops biting is caught.
 */
import { technest } from '@openkyc/adapter-technest';
import type { KycProvider, ProviderReport, WebhookParseResult } from '@openkyc/core';
import type { ClientsCommandSimulator, ConformanceProviderOptions, TechnestSimulator } from '@openkyc/testkit';
import { Agent, request, type Dispatcher } from 'undici';
import { realClientsCommand } from './real-adapters.js';

export type BrokenVariant =
  | 'status-mapping'
  | 'no-dedupe'
  | 'leaks-bearer'
  | 'unchecked-signature'
  | 'receipt-time'
  | 'unchecked-input';

export function brokenTechnest(variant: BrokenVariant, sim: TechnestSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = technest({
    baseUrl: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    webhookSecret: [...sim.webhookSecrets],
    ...options,
    ...(variant === 'leaks-bearer' ? { dispatcher: bearerEverywhere(new URL(sim.storageUrl).host) } : {}),
  });
  switch (variant) {
    case 'status-mapping':
      return mapReports(real, (report) => ({ ...report, status: swapped(report.status) }));
    case 'no-dedupe':
      return {
        ...real,
        webhooks: {
          verify: (request) => real.webhooks!.verify(request),
          parse(request): WebhookParseResult {
            const parsed = real.webhooks!.parse(request);
            return { ...parsed, dedupeKey: `${parsed.dedupeKey}:${Math.random()}` };
          },
        },
      };
    case 'unchecked-signature':
      return { ...real, webhooks: { verify: () => {}, parse: (request) => real.webhooks!.parse(request) } };
    case 'unchecked-input':
      // Technest sends neither identifiers nor document numbers, so a naive adapter never looks at them: it
      // drops them instead of refusing malformed ones, and a direct submit goes to the provider.
      return {
        ...real,
        submit: (input, context) =>
          real.submit(
            {
              ...input,
              application: {
                ...input.application,
                identifiers: [],
                documents: input.application.documents.map(({ number: _dropped, ...document }) => document),
              },
            },
            context,
          ),
      };
    case 'leaks-bearer':
      return real;
    case 'receipt-time':
      // Drops the provider's time from webhook reports, so core orders them by arrival: a late delivery
      // of an earlier status then looks newer than the decision.
      return {
        ...real,
        webhooks: {
          verify: (request) => real.webhooks!.verify(request),
          parse(request): WebhookParseResult {
            const parsed = real.webhooks!.parse(request);
            if (parsed.kind !== 'report') return parsed;
            const { occurredAt: _dropped, ...report } = parsed.report;
            return { ...parsed, report };
          },
        },
      };
  }
}

/**
 * The clients-command adapter as it was before issue #11: on every submit it
 * first lists the client's addresses (`GET /v1/clients/{id}/addresses`), a
 * route `clients-command.md` does not document. The simulator answers 404 like
 * a contract-true server; the wrapper ignores the answer (as an adapter
 * tolerating a missing listing would), so only the contract check can fail it.
 */
export function brokenClientsCommand(sim: ClientsCommandSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realClientsCommand(sim, options);
  return {
    ...real,
    async submit(input, context) {
      const listing = await request(`${sim.baseUrl}/v1/clients/${encodeURIComponent(input.providerCustomerId)}/addresses`, {
        headers: sim.authHeaders(),
      });
      await listing.body.dump();
      return real.submit(input, context);
    },
  };
}

/** The classic mapping bug: verified and rejected swapped. */
function swapped(status: ProviderReport['status']): ProviderReport['status'] {
  return status === 'verified' ? 'rejected' : status === 'rejected' ? 'verified' : status;
}

function mapReports(provider: KycProvider, map: (report: ProviderReport) => ProviderReport): KycProvider {
  return {
    ...provider,
    createCustomer: async (input, context) => map(await provider.createCustomer(input, context)),
    submit: async (input, context) => map(await provider.submit(input, context)),
    fetch: async (input, context) => map(await provider.fetch(input, context)),
    ...(provider.retry === undefined ? {} : { retry: async (input, context) => map(await provider.retry!(input, context)) }),
    webhooks: {
      verify: (request) => provider.webhooks!.verify(request),
      parse(request) {
        const parsed = provider.webhooks!.parse(request);
        return parsed.kind === 'report' ? { ...parsed, report: map(parsed.report) } : parsed;
      },
    },
  };
}

/** A dispatcher that adds an Authorization header to every request to `host`: the leak the suite must catch. */
function bearerEverywhere(host: string): Dispatcher {
  return new Agent().compose((dispatch) => (options, handler) => {
    if (new URL(String(options.origin)).host !== host) return dispatch(options, handler);
    const headers = Array.isArray(options.headers)
      ? [...options.headers, 'authorization', 'Bearer leaked-token']
      : { ...(options.headers as Record<string, string> | undefined), authorization: 'Bearer leaked-token' };
    return dispatch({ ...options, headers }, handler);
  });
}
