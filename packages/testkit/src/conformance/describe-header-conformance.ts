import { describe, expect } from 'vitest';
import type { ConformanceScenario } from './describe-input-format-conformance.js';

/**
 * The "contract headers" group. The simulators check every header their
 * contract requires against the values they were configured with (tenant,
 * credentials, content types the contract fixes, a pre-signed upload's
 * signed headers) and refuse a mismatch as the real provider would; their
 * drivers configure values no adapter could guess (a random tenant, random
 * credentials). So a hard-coded header fails whatever the adapter does; this
 * scenario runs a whole lifecycle and names each header that was refused.
 */
export function describeHeaderConformance<TSimulator>(scenario: ConformanceScenario<TSimulator>): void {
  describe('contract headers', () => {
    scenario('every request carries the headers the contract requires, with the configured values, through a whole lifecycle', async (h, ctx) => {
      ctx.skip(h.driver.headerMismatches === undefined, 'the simulator does not report header mismatches (ConformanceDriver.headerMismatches)');
      const lifecycle = (async () => {
        const customer = await h.createCustomer();
        await h.kyc.submit(customer.id, h.application());
        await h.decide(customer, 'reject');
        const done = await h.approve(await h.kyc.submit(customer.id, h.application()));
        await h.kyc.refresh(customer.id);
        await h.kyc.reconcile({ all: true });
        return done;
      })();
      const outcome = await lifecycle.then(
        (done) => ({ done }),
        (error: unknown) => ({ error }),
      );

      // The header first: a refused one usually surfaces as an authentication or provider error.
      const refused = [...new Set(h.driver.headerMismatches!().map((m) => `${m.method} ${m.path} (${m.server}): ${m.header} ${m.reason}`))];
      expect(refused, `the provider refused requests over a header the contract requires: ${refused.join('; ')}`).toEqual([]);
      if ('error' in outcome) throw outcome.error;
      expect(outcome.done.status).toBe(h.successStatus);
      expect(h.driver.requests().length).toBeGreaterThan(0);
    });
  });
}
