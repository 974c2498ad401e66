/**
 * Deliberately broken status mappings, for the "status mapping" group of the
 * teeth test: each wraps a real adapter and gets one documented status wrong,
 * in one place, the way a mapping table goes wrong in practice.
 */
import type { KycProvider, ProviderReport } from '@openkyc/core';
import type { ClientsCommandSimulator, ConformanceProviderOptions, PatchStyleConformanceSimulator, TechnestSimulator } from '@openkyc/testkit';
import { realClientsCommand, realPatchStyle, realTechnest } from './real-adapters.js';

/**
 * clients-command mapping status 300 (Active) to `verified` instead of `active` (issue #12): the
 * adapter's own `activate` answers `active` without reading the client, so only a client activated
 * elsewhere and then read (`fetch`) shows the bug.
 */
export function activeAsVerifiedClientsCommand(sim: ClientsCommandSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realClientsCommand(sim, options);
  const mapActive = (report: ProviderReport): ProviderReport => (report.status === 'active' ? { ...report, status: 'verified' } : report);
  return { ...real, fetch: async (input, context) => mapActive(await real.fetch(input, context)) };
}

/**
 * Technest with a copy-pasted row in its event table: the legacy `customer_rejected` event is read
 * as `customer_verified` (a rejected customer is approved). The current and dotted shapes are right,
 * and the suite's other scenarios only ever see the current shape.
 */
export function legacyRejectedAsVerifiedTechnest(sim: TechnestSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realTechnest(sim, options);
  return {
    ...real,
    webhooks: {
      verify: (request) => real.webhooks!.verify(request),
      parse(request) {
        const parsed = real.webhooks!.parse(request);
        const event = (JSON.parse(Buffer.from(request.rawBody).toString('utf8')) as { event?: unknown }).event;
        if (parsed.kind !== 'report' || event !== 'customer_rejected') return parsed;
        const { rejection: _dropped, ...report } = parsed.report;
        return { ...parsed, report: { ...report, status: 'verified', rawStatus: 'verified' } };
      },
    },
  };
}

/**
 * Patch-style reading `DEACTIVATED` as `rejected` when it polls (a second mapping table for the
 * GET answer that drifted from the webhook one): the deactivation webhook maps right, a poll of a
 * deactivated customer does not.
 */
export function deactivatedAsRejectedPatchStyle({ sim, documentHost }: PatchStyleConformanceSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realPatchStyle({ sim, documentHost }, options);
  const mapDeactivated = (report: ProviderReport): ProviderReport =>
    report.status === 'deactivated'
      ? { ...report, status: 'rejected', rejection: { code: 'other', message: 'Your account was closed by the provider.', retryable: false } }
      : report;
  return { ...real, fetch: async (input, context) => mapDeactivated(await real.fetch(input, context)) };
}
