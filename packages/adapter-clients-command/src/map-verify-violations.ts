import { defaultProviderTextScrubber, documentedProviderCode, type ProviderTextScrubber, type Requirement } from '@openkyc/core';
import { match } from 'ts-pattern';
import { FINERACT_CODES, type FineractEnvelope } from './fineract-errors.js';

/**
 * A 403 on `?command=verify` lists every violated rule at once. Each rule
 * becomes ONE requirement the end-user can act on; the provider's own texts
 * are never shown (they are developer messages, in English, and may change).
 *
 * `…verify.invalid.state` is not a requirement: the client is not a
 * Pending, unverified one (already verified, rejected, closed…). The caller
 * reads the client to learn which.
 */

export const VERIFY_RULE_CODES = {
  primaryAddress: 'error.msg.client.verify.primary.address.missing',
  identifier: 'error.msg.client.verify.identifier.missing',
  fullIdentityDocument: 'error.msg.client.verify.full.identity.document.missing',
  emailUnverified: 'error.msg.client.verify.email.unverified',
  mobileUnverified: 'error.msg.client.verify.mobile.unverified',
  invalidState: 'error.msg.client.verify.invalid.state',
} as const;

type KnownRule = Exclude<keyof typeof VERIFY_RULE_CODES, 'invalidState'>;
const RULE_BY_CODE: ReadonlyMap<string, KnownRule> = new Map(
  (Object.entries(VERIFY_RULE_CODES) as [keyof typeof VERIFY_RULE_CODES, string][])
    .filter((entry): entry is [KnownRule, string] => entry[0] !== 'invalidState')
    .map(([rule, code]) => [code, rule]),
);

/** Any verify rule, including ones added after this adapter was written. */
const VERIFY_RULE_PREFIX = 'error.msg.client.verify.';

export type VerifyRefusal =
  /** Information is missing: one requirement per rule. */
  | { readonly kind: 'needs_info'; readonly requirements: readonly Requirement[] }
  /** The client is not in a state verify accepts; read it to learn which. */
  | { readonly kind: 'invalid_state' }
  /** A 403 that names no verify rule at all. */
  | { readonly kind: 'other' };

export function mapVerifyViolations(envelope: FineractEnvelope, scrubber: ProviderTextScrubber = defaultProviderTextScrubber): VerifyRefusal {
  const codes = [...envelope.errors.map((entry) => entry.code), envelope.code].filter(
    (code): code is string => code !== undefined,
  );
  if (codes.includes(VERIFY_RULE_CODES.invalidState)) return { kind: 'invalid_state' };

  const requirements: Requirement[] = [];
  const seen = new Set<string>();
  for (const code of codes) {
    if (!code.startsWith(VERIFY_RULE_PREFIX) || seen.has(code)) continue;
    seen.add(code);
    const rule = RULE_BY_CODE.get(code);
    requirements.push(rule === undefined ? unknownRuleRequirement(code, scrubber) : requirementFor(rule));
  }
  return requirements.length > 0 ? { kind: 'needs_info', requirements } : { kind: 'other' };
}

function requirementFor(rule: KnownRule): Requirement {
  const providerCode = VERIFY_RULE_CODES[rule];
  return match(rule)
    .with('primaryAddress', () => ({
      kind: 'field' as const,
      name: 'address',
      message: 'Please provide your home address.',
      providerCode,
    }))
    .with('identifier', () => ({
      kind: 'field' as const,
      name: 'identifiers',
      message: 'Please provide an identity number (such as a Social Security number) or an identity document.',
      providerCode,
    }))
    .with('fullIdentityDocument', () => ({
      kind: 'document' as const,
      name: 'identity_document',
      message:
        "Please upload a photo of your passport, driver's license, national ID card or residence permit, or provide your Social Security number or ITIN.",
      providerCode,
    }))
    .with('emailUnverified', () => ({
      kind: 'contact_verification' as const,
      name: 'email',
      message: 'Please confirm your email address.',
      providerCode,
    }))
    .with('mobileUnverified', () => ({
      kind: 'contact_verification' as const,
      name: 'phone',
      message: 'Please confirm your phone number.',
      providerCode,
    }))
    .exhaustive();
}

/**
 * A verify rule this adapter does not know yet: still a requirement, with a generic message; its code is
 * kept for operators only when it is documented-shaped and carries no submitted value (requirements travel in events).
 */
function unknownRuleRequirement(code: string, scrubber: ProviderTextScrubber): Requirement {
  const providerCode = documentedProviderCode(code, FINERACT_CODES, scrubber);
  return {
    kind: 'field',
    name: 'application',
    message: 'Some required information is missing. Please review your details and submit again.',
    ...(providerCode === undefined ? {} : { providerCode }),
  };
}
