/**
 * Deliberately broken adapters for the "privacy" group: each of the three real
 * adapters with one realistic way to let personal data out — the submitted
 * application logged, the national id formatted into a log message, a
 * sanitizer that lets digits through. `teeth.test.ts` asserts the suite fails them.
 */
import { providerTextScrubber, type KycProvider, type ProviderTextScrubber, type WebhookParseResult } from '@openkyc/core';
import type {
  ClientsCommandSimulator,
  ConformanceProviderOptions,
  PatchStyleConformanceSimulator,
  TechnestSimulator,
} from '@openkyc/testkit';
import { realClientsCommand, realPatchStyle, realTechnest } from './real-adapters.js';

/**
 * Clients-command that logs what it submits "for support": `logger.debug({ application }, …)`.
 * Core's logger redacts the date of birth, document numbers and identifier
 * values by key — but names and e-mail go through as they are.
 */
export function clientsCommandLoggingApplication(sim: ClientsCommandSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realClientsCommand(sim, options);
  return {
    ...real,
    submit(input, context) {
      context.logger.debug({ provider: real.id, customerId: input.customerId, application: input.application }, 'clients-command: submitting application');
      return real.submit(input, context);
    },
  };
}

/**
 * Patch-style that says in its log line which SSN it is sending: the value is
 * formatted into the message, where no key-based redaction can see it.
 */
export function patchStyleLoggingIdentifier({ sim, documentHost }: PatchStyleConformanceSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realPatchStyle({ sim, documentHost }, options);
  return {
    ...real,
    submit(input, context) {
      const ssn = input.application.identifiers?.find((identifier) => identifier.type === 'ssn');
      context.logger.info({ provider: real.id, customerId: input.customerId }, `patch-style: submitting kycData with SSN ${ssn?.value ?? 'none'}`);
      return real.submit(input, context);
    },
  };
}

/**
 * Technest whose webhook rejection reasons are run through the scrubber
 * wrapped to keep digits ("it hid the numbers in 'document expired 2 years
 * ago'"): a reason quoting the national id or the date of birth keeps them.
 */
export function technestKeepingDigits(sim: TechnestSimulator, options: ConformanceProviderOptions): KycProvider {
  const real = realTechnest(sim, options);
  const sanitizer = keepingDigits(providerTextScrubber());
  return {
    ...real,
    webhooks: {
      verify: (request) => real.webhooks!.verify(request),
      parse(request): WebhookParseResult {
        const parsed = real.webhooks!.parse(request);
        if (parsed.kind !== 'report' || parsed.report.rejection === undefined) return parsed;
        const raw = findString(JSON.parse(Buffer.from(request.rawBody).toString('utf8')) as unknown, 'rejection_reason');
        if (raw === undefined) return parsed;
        return { ...parsed, report: { ...parsed.report, rejection: { ...parsed.report.rejection, providerReason: sanitizer.scrub(raw) } } };
      },
    },
  };
}

/** The bug: digit runs are set aside before scrubbing and put back after. */
function keepingDigits(scrubber: ProviderTextScrubber): ProviderTextScrubber {
  const shield = (text: string): { shielded: string; restore: (scrubbed: string) => string } => {
    const digits = text.match(/\d+/g) ?? [];
    let next = 0;
    return { shielded: text.replace(/\d+/g, '#'), restore: (scrubbed) => scrubbed.replace(/#/g, () => digits[next++] ?? '') };
  };
  return {
    scrub(text) {
      const { shielded, restore } = shield(text);
      return restore(scrubber.scrub(shielded));
    },
    isClean: (text) => scrubber.isClean(shield(text).shielded),
  };
}

/** The first string under `key`, anywhere in a parsed body. */
function findString(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [name, item] of Object.entries(value)) {
    if (name === key && typeof item === 'string') return item;
    const found = findString(item, key);
    if (found !== undefined) return found;
  }
  return undefined;
}
