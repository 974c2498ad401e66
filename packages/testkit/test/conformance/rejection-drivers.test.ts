import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConformanceDriver } from '../../src/conformance/conformance-driver.js';
import { clientsCommandConformance } from '../../src/simulators/clients-command/clients-command-conformance.js';
import { formatClientsCommandDate } from '../../src/simulators/clients-command/clients-command-dates.js';
import type { ClientsCommandSimulator } from '../../src/simulators/clients-command/clients-command-simulator.js';
import { technestConformance } from '../../src/simulators/technest/technest-conformance.js';
import type { TechnestSimulator } from '../../src/simulators/technest/technest-simulator.js';
import { getToken, submittedCustomer } from '../simulators/technest-test-client.js';

/**
 * The drivers' rejection controls do what the "rejection reasons" group relies
 * on: the provider really uses the given reason, in the asked webhook shape.
 * (Patch-style's and the reasons themselves are exercised end to end by each
 * adapter's conformance run.)
 */
describe('conformance drivers: rejectWith', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('technest: rejects with the exact text and announces it in each webhook shape, then restores the configured shape', async () => {
    const driver: ConformanceDriver<TechnestSimulator> = await technestConformance();
    close = () => driver.close();
    const sim = driver.simulator;
    const token = await getToken(sim);
    driver.webhooks!.hold();
    expect(driver.rejectionWebhookShapes).toEqual(['current', 'dotted', 'legacy']);

    const events: unknown[] = [];
    for (const shape of driver.rejectionWebhookShapes!) {
      const { id } = await submittedCustomer(sim, token);
      const before = driver.webhooks!.deliveries().length;
      await driver.rejectWith!(id, 'Sanctions screening match', { webhookShape: shape });
      expect(sim.getCustomer(id)).toMatchObject({ status: 'rejected', rejectionReason: 'Sanctions screening match' });
      const sent = driver.webhooks!.deliveries().slice(before).map((delivery) => JSON.parse(delivery.body) as Record<string, unknown>);
      expect(sent, shape).toHaveLength(1);
      events.push(sent[0]);
      expect(sim.webhookShape).toBe('current');
    }
    expect(events).toEqual([
      expect.objectContaining({ event: 'customer.status_changed', data: expect.objectContaining({ rejection_reason: 'Sanctions screening match' }) }),
      expect.objectContaining({ event: 'customer.rejected', data: expect.objectContaining({ rejection_reason: 'Sanctions screening match' }) }),
      { event: 'customer_rejected', data: expect.objectContaining({ rejection_reason: 'Sanctions screening match' }) },
    ]);
    await expect(driver.rejectWith!('ckcust_x', 'Fraudulent document', { webhookShape: 'xml' })).rejects.toThrow(/no webhook shape 'xml'/);
  });

  it('technest: withoutReason leaves rejection_reason out of that one webhook; the record and later webhooks keep it', async () => {
    const driver: ConformanceDriver<TechnestSimulator> = await technestConformance();
    close = () => driver.close();
    const sim = driver.simulator;
    const token = await getToken(sim);
    driver.webhooks!.hold();
    expect(driver.rejectionWebhookMayOmitReason).toBe(true);

    const bodies: Record<string, unknown>[] = [];
    for (const withoutReason of [true, false]) {
      const { id } = await submittedCustomer(sim, token);
      await driver.rejectWith!(id, 'Suspected fraud', { withoutReason });
      expect(sim.getCustomer(id)?.rejectionReason).toBe('Suspected fraud');
      const decision = driver.webhooks!.deliveries().at(-1)!;
      bodies.push((JSON.parse(decision.body) as { data: Record<string, unknown> }).data);
    }
    expect(bodies[0]).toMatchObject({ status: 'rejected' });
    expect(bodies[0]).not.toHaveProperty('rejection_reason');
    expect(bodies[1]).toMatchObject({ status: 'rejected', rejection_reason: 'Suspected fraud' });
    expect(sim.webhookRejectionReason).toBe('included');
  });

  it("clients-command: the tenant's rejection reason code values are the declared table, and rejectWith uses them by name", async () => {
    const driver: ConformanceDriver<ClientsCommandSimulator> = await clientsCommandConformance();
    close = () => driver.close();
    const sim = driver.simulator;
    expect(sim.rejectionReasons().map((value) => value.name)).toEqual(driver.rejectionReasons!.map((reason) => reason.providerReason));

    const tableBefore = sim.rejectionReasons();

    const created = await request(`${sim.url}/v1/clients`, {
      method: 'POST',
      headers: { ...sim.authHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({
        officeId: 1,
        legalFormId: 1,
        firstname: 'Jane',
        lastname: 'Smith',
        externalId: 'rejection-driver-1',
        submittedOnDate: formatClientsCommandDate(sim.today()),
        active: false,
        dateFormat: 'dd MMMM yyyy',
        locale: 'en',
      }),
    });
    const { clientId } = (await created.body.json()) as { clientId: number };
    expect(created.statusCode).toBe(200);

    await driver.rejectWith!(String(clientId), 'Duplicate client');
    const duplicate = tableBefore.find((value) => value.name === 'Duplicate client');
    expect(sim.getClient(clientId)).toMatchObject({ status: 'Rejected', rejectionReason: duplicate });
    expect(sim.rejectionReasons(), 'a configured reason, not one added on the fly').toEqual(tableBefore);
  });
});
