import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { application, CANARY, driversLicense, proofOfAddress } from './support/application.js';
import { startHarness, type Harness } from './support/harness.js';

const ONE_CUSTOMER = /^\/api\/v1\/customers\/[^/]+$/;
const CANARIES = [CANARY.ssn, CANARY.dateOfBirth, CANARY.passportNumber, CANARY.licenseNumber, CANARY.ssn.replaceAll('-', '')];

/** The message of an error and of every cause below it, with its own enumerable fields. */
function describeError(error: unknown, depth = 0): string {
  if (depth > 5 || typeof error !== 'object' || error === null) return String(error);
  const own = JSON.stringify(error, (_key, value: unknown) => (value instanceof Uint8Array ? `[${value.length} bytes]` : value));
  const message = error instanceof Error ? `${error.name}: ${error.message}` : '';
  return `${message} ${own} ${describeError((error as { cause?: unknown }).cause, depth + 1)}`;
}

describe('no PII in errors or logs', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('canary values never appear in any error message or captured log line', async () => {
    const errors: unknown[] = [];
    const attempt = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        errors.push(error);
      }
    };
    const app = application({ documents: [driversLicense(), proofOfAddress()] });

    const customer = await h.kyc.createCustomer({ reference: 'pii-1', type: 'individual', email: 'test-rfi@example.com', firstName: 'Jane', lastName: 'Smith' });

    // A provider that echoes submitted values in its errors (the simulator does not; real ones might).
    h.sim.injectFault({
      method: 'PATCH',
      path: ONE_CUSTOMER,
      status: 400,
      body: {
        error: 'BAD_REQUEST',
        message: `Validation failed: nationalIdNumber '${CANARY.ssn}' is invalid; dateOfBirth ${CANARY.dateOfBirth} is invalid; documents[0].number "${CANARY.licenseNumber}" unknown`,
        statusCode: 400,
      },
    });
    await attempt(() => h.kyc.submit(customer.id, app));
    h.sim.injectFault({
      method: 'PATCH',
      path: ONE_CUSTOMER,
      status: 500,
      times: 3,
      body: { error: 'INTERNAL_ERROR', message: `failed for ${CANARY.passportNumber} / ${CANARY.dateOfBirth}`, statusCode: 500 },
    });
    h.sim.injectFault({ method: 'GET', path: ONE_CUSTOMER, status: 500, times: 10, body: { error: 'INTERNAL_ERROR', message: `ssn ${CANARY.ssn}`, statusCode: 500 } });
    await attempt(() => h.kyc.submit(customer.id, app));
    h.sim.clearFaults();

    // Core validation and the provider's own validation.
    const underage = { ...app, person: { ...app.person, dateOfBirth: '2015-02-28' } };
    errors.push(...h.kyc.validate(underage).issues);
    await attempt(() => h.kyc.submit(customer.id, underage));
    await attempt(() => h.provider.submit(
      { customerId: customer.id, providerCustomerId: customer.providerCustomerId, providerReference: 'pii-1', application: { ...app, person: { ...app.person, phone: CANARY.ssn } }, type: 'individual', submission: 1 },
      h.context(),
    ));

    // The full RFI loop, with webhooks and logs.
    await h.kyc.submit(customer.id, app);
    await h.settle();
    await h.advance(30_000);
    await h.kyc.submit(customer.id, app);
    await h.settle();
    await h.advance(30_000);
    expect((await h.kyc.getCustomer(customer.id)).status).toBe('active');

    await attempt(() => h.kyc.submit(customer.id, app)); // active: InvalidStateError

    expect(errors.length).toBeGreaterThanOrEqual(5);
    if (process.env.SHOW_ERRORS) console.log(errors.map((error) => (error instanceof Error ? error.message : JSON.stringify(error))).join('\n'));
    const errorText = errors.map((error) => describeError(error)).join('\n');
    const logText = h.logs.lines.join('\n');
    expect(logText.length).toBeGreaterThan(0);
    for (const canary of CANARIES) {
      expect(errorText).not.toContain(canary);
      expect(logText).not.toContain(canary);
    }
    // The errors still say what is wrong.
    expect(errorText).toContain('identifiers[0].value');
    expect(errorText).toContain('person.dateOfBirth');
  });
});
