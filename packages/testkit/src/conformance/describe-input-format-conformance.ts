import { ValidationError, type Application, type ProviderCallContext } from '@openkyc/core';
import { describe, expect } from 'vitest';
import type { TestContext } from 'vitest';
import type { Harness } from './conformance-harness.js';

/** Registers one scenario: a fresh harness (simulator, adapter, kyc) per scenario, closed afterwards. */
export type ConformanceScenario<TSimulator> = (
  title: string,
  body: (h: Harness<TSimulator>, ctx: TestContext) => Promise<void>,
  timeoutMs?: number,
) => void;

/**
 * The "input formats" group of the conformance suite: identifiers and document
 * numbers that break their format are refused with a `ValidationError` naming
 * the path and the rule, before any request — through `createKyc`, and by the
 * adapter's own `submit` (adapters are callable directly; the contract in
 * docs/adapter-authoring.md says `submit` refuses what core would refuse).
 */
export function describeInputFormatConformance<TSimulator>(scenario: ConformanceScenario<TSimulator>): void {
  describe('input formats', () => {
    scenario('malformed identifiers and document numbers are refused by kyc.submit before any request, naming path and rule', async (h) => {
      const customer = await h.createCustomer();
      const before = h.driver.requests().length;
      for (const example of MALFORMED) {
        const error = await h.kyc.submit(customer.id, example.apply(h.application())).catch((e: unknown) => e);
        expectRefusal(error, example);
      }
      expect(h.driver.requests().length, 'requests sent for malformed input').toBe(before);
      expect((await h.kyc.getCustomer(customer.id)).status).toBe('created');
      expect(h.eventsOf(customer.id).map((event) => event.type)).toEqual(['customer.created']);
    });

    scenario("malformed identifiers and document numbers are refused by the adapter's own submit before any request", async (h) => {
      const customer = await h.createCustomer();
      const before = h.driver.requests().length;
      for (const example of MALFORMED) {
        const error = await h.provider
          .submit(
            {
              customerId: customer.id,
              providerCustomerId: customer.providerCustomerId,
              providerReference: customer.providerReference,
              application: example.apply(h.application()),
              type: 'individual',
              submission: 1,
            },
            callContext(h),
          )
          .catch((e: unknown) => e);
        expectRefusal(error, example);
      }
      expect(h.driver.requests().length, 'requests sent for malformed input').toBe(before);
    });
  });
}

interface MalformedExample {
  /** What is wrong, for assertion messages. */
  readonly title: string;
  /** The submitted value that must not appear in any message. */
  readonly value: string;
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly rule: string;
  apply(application: Application): Application;
}

/** The driver's application (valid for the provider) with one malformed value swapped in. */
const identifier = (title: string, type: 'ssn' | 'itin' | 'national_id', value: string, issuingCountry: 'US' | 'DE', rule: string): MalformedExample => ({
  title,
  value,
  path: ['identifiers', 0, 'value'],
  code: 'invalid_identifier',
  rule,
  apply: (application) => ({ ...application, identifiers: [{ type, value, issuingCountry }] }),
});

const MALFORMED: readonly MalformedExample[] = [
  identifier('an SSN with a letter and 8 digits', 'ssn', '51A-44-778', 'US', 'ssn_format'),
  identifier('an SSN in an area never issued', 'ssn', '666-12-3456', 'US', 'ssn_area'),
  identifier('an SSN with group 00', 'ssn', '123-00-4567', 'US', 'ssn_group'),
  identifier('an ITIN not starting with 9', 'itin', '123-45-6789', 'US', 'itin_area'),
  identifier('a national id with a symbol', 'national_id', 'X123!4567', 'DE', 'national_id_format'),
  {
    title: 'a document number with a symbol',
    value: 'P1234<567',
    path: ['documents', 0, 'number'],
    code: 'invalid_document_number',
    rule: 'document_number_format',
    apply: (application) => ({
      ...application,
      documents: application.documents.map((document, index) => (index === 0 ? { ...document, number: 'P1234<567' } : document)),
    }),
  },
];

function expectRefusal(error: unknown, example: MalformedExample): void {
  expect(ValidationError.isInstance(error), `${example.title}: a ValidationError`).toBe(true);
  const { issues, message } = error as ValidationError;
  expect(issues, example.title).toContainEqual(expect.objectContaining({ path: example.path, code: example.code, rule: example.rule }));
  const text = `${message}\n${JSON.stringify(issues)}`;
  expect(text, `${example.title}: the value is not echoed`).not.toContain(example.value);
  expect(text, `${example.title}: the value is not echoed`).not.toContain(example.value.replaceAll('-', ''));
}

/** What core passes to an adapter call, on the provider's clock. */
function callContext<TSimulator>(h: Harness<TSimulator>): ProviderCallContext {
  const ignore = (): void => {};
  return {
    logger: { debug: ignore, info: ignore, warn: ignore, error: ignore },
    now: () => h.driver.now(),
    idempotencyKey: 'conformance:input-formats',
  };
}
