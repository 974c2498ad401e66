/**
 * Deliberately broken adapters for the "rejection reasons" group: each of the
 * three real adapters with one realistic bug that marks a final rejection
 * (suspected fraud) as retryable, and patch-style guessing "retryable" when a
 * webhook leaves the reason out. `teeth.test.ts` asserts the suite fails them.
 */
import type { KycProvider, ProviderReport, Rejection } from '@openkyc/core';
import type {
  ClientsCommandSimulator,
  ConformanceProviderOptions,
  PatchStyleConformanceSimulator,
  TechnestSimulator,
} from '@openkyc/testkit';
import { realClientsCommand, realPatchStyle, realTechnest } from './real-adapters.js';

/** Technest whose free-text rules lost the fraud row: "Fraudulent document" falls through to `other`, retryable. */
export function technestWithoutFraudRule(sim: TechnestSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realTechnest(sim, options);
  return mapRejections(real, fraudAsUnknown);
}

/** Patch-style whose code table forgot `FRAUD_SUSPECTED`: it is read as an unknown code, retryable. */
export function patchStyleWithoutFraudCode({ sim, documentHost }: PatchStyleConformanceSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realPatchStyle({ sim, documentHost }, options);
  return mapRejections(real, fraudAsUnknown);
}

/**
 * Patch-style as it was before issue #12: a `REJECTED` webhook without its
 * optional `reason` became the generic `other`, retryable — so a fraud
 * rejection announced that way could be resubmitted before anyone read why.
 */
export function patchStyleGuessingRetryable({ sim, documentHost }: PatchStyleConformanceSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realPatchStyle({ sim, documentHost }, options);
  return mapRejections(real, (rejection) =>
    rejection.providerReason === undefined
      ? {
          code: 'other',
          message: "We couldn't verify your identity with the information provided. Check your details and documents, then submit again.",
          retryable: true,
        }
      : rejection,
  );
}

/**
 * Clients-command that reasons "`undoRejection` reopens any rejected client, so
 * every rejection is retryable" — fraud, sanctions and duplicates included.
 */
export function clientsCommandAlwaysRetryable(sim: ClientsCommandSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realClientsCommand(sim, options);
  return mapRejections(real, (rejection) => ({ ...rejection, retryable: true }));
}

/** What a code table without a fraud entry produces for a fraud reason: the generic, retryable `other`. */
function fraudAsUnknown(rejection: Rejection): Rejection {
  if (rejection.code !== 'fraud_suspected') return rejection;
  return {
    code: 'other',
    message: "We couldn't verify your identity. Please check your details and documents and try again.",
    retryable: true,
    ...(rejection.providerReason === undefined ? {} : { providerReason: rejection.providerReason }),
  };
}

/** Applies `map` to the rejection of every report the adapter returns, from calls and webhooks alike. */
function mapRejections(provider: KycProvider, map: (rejection: Rejection) => Rejection): KycProvider {
  const mapped = (report: ProviderReport): ProviderReport =>
    report.rejection === undefined ? report : { ...report, rejection: map(report.rejection) };
  return {
    ...provider,
    createCustomer: async (input, context) => mapped(await provider.createCustomer(input, context)),
    submit: async (input, context) => mapped(await provider.submit(input, context)),
    fetch: async (input, context) => mapped(await provider.fetch(input, context)),
    ...(provider.activate === undefined ? {} : { activate: async (input, context) => mapped(await provider.activate!(input, context)) }),
    ...(provider.retry === undefined ? {} : { retry: async (input, context) => mapped(await provider.retry!(input, context)) }),
    ...(provider.webhooks === undefined
      ? {}
      : {
          webhooks: {
            verify: (request) => provider.webhooks!.verify(request),
            parse(request) {
              const parsed = provider.webhooks!.parse(request);
              return parsed.kind === 'report' ? { ...parsed, report: mapped(parsed.report) } : parsed;
            },
          },
        }),
  };
}
