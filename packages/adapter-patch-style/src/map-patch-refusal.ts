import {
  defaultProviderTextScrubber,
  type KycError,
  ProviderError,
  type ProviderTextScrubber,
  ValidationError,
  type ValidationIssue,
} from '@openkyc/core';
import { mapHttpError } from '@openkyc/core/http';
import type { KycDataOrigin } from './map-application.js';
import { PATCH_STYLE_CODES, type PatchStyleErrorEnvelope } from './patch-style-error-envelope.js';
import { isPatchStyleStatus } from './map-patch-style-status.js';

/**
 * A `400` to `PATCH {kycData}` → the error `submit` throws:
 * - `BAD_REQUEST` ("Validation failed: phoneNumber must be in E.164 format; …")
 *   → `ValidationError` with one issue per named field, at the APPLICATION path
 *   (`phoneNumber` → `person.phone`, `documents[0].frontImageUrl` →
 *   `documents[0].front`); messages keep the provider's wording, scrubbed of
 *   what was submitted (core's scrubber, built from the application);
 * - `PATCH_NOT_ALLOWED` → a non-retryable `ProviderError` with code
 *   `invalid_state`: the provider locks the data while it reviews it;
 * - anything else → the toolkit's generic mapping (documented codes only).
 */
export function mapPatchRefusal(
  refusal: { readonly status: number; readonly envelope: PatchStyleErrorEnvelope },
  context: {
    readonly provider: string;
    readonly customerId: string;
    readonly origin: KycDataOrigin;
    readonly scrubber?: ProviderTextScrubber | undefined;
  },
): KycError {
  const { provider } = context;
  const scrubber = context.scrubber ?? defaultProviderTextScrubber;
  const { envelope } = refusal;
  const code = envelope.error?.trim().toUpperCase();

  if (code === 'PATCH_NOT_ALLOWED') {
    const reported = envelope.customerStatus?.trim().toUpperCase();
    const status = reported !== undefined && isPatchStyleStatus(reported) ? reported : 'UNDER_REVIEW, ACTIVE or DEACTIVATED';
    return new ProviderError(
      `${provider} refused the submission (PATCH_NOT_ALLOWED): the customer is ${status} at the provider, and its data cannot change while it is under review, active or deactivated. ` +
        'Wait for the decision (webhook), or call refresh() to bring the local status up to date.',
      { provider, status: refusal.status, providerCode: 'PATCH_NOT_ALLOWED', retryable: false },
      'invalid_state',
    );
  }

  if (code === 'BAD_REQUEST' || code === 'VALIDATION_ERROR') {
    const issues = validationIssues(envelope.message ?? '', context.origin, provider, scrubber);
    const shown = issues.slice(0, 5).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : '';
    return new ValidationError(
      issues,
      `${provider} refused the application (BAD_REQUEST); nothing was stored. Fix these and submit again: ${shown.join('; ')}${more}`,
    );
  }

  return mapHttpError({
    provider,
    method: 'PATCH',
    url: `/api/v1/customers/${context.customerId}`,
    status: refusal.status,
    providerCode: envelope.error,
    message: envelope.message,
    providerCodes: PATCH_STYLE_CODES,
    scrubber,
  });
}

function validationIssues(message: string, origin: KycDataOrigin, provider: string, scrubber: ProviderTextScrubber): ValidationIssue[] {
  const body = message.replace(/^\s*validation failed\s*:?\s*/i, '');
  const problems = body
    .split(/;\s*/)
    .map((problem) => problem.trim())
    .filter((problem) => problem !== '');
  const issues: ValidationIssue[] = [];
  for (const problem of problems) {
    const match = /^([A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_]\w*)*)\s+(.+)$/.exec(problem);
    const providerPath = match?.[1];
    const detail = shortened(scrubber.scrub(match?.[2] ?? problem));
    const path = providerPath === undefined ? undefined : applicationPathFor(providerPath, origin);
    if (path === undefined || providerPath === undefined) {
      issues.push({ path: [], code: 'provider_rejected', message: `${shortened(scrubber.scrub(problem))} (refused by ${provider})` });
      continue;
    }
    issues.push({ path, code: issueCode(providerPath, detail), message: `${detail} (refused by ${provider})` });
  }
  if (issues.length === 0) {
    issues.push({ path: [], code: 'provider_rejected', message: `The provider refused the submitted data (refused by ${provider})` });
  }
  return issues;
}

/** Issue messages stay short: they end up in one error message together. */
function shortened(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}

const MAX_DETAIL_LENGTH = 300;

type Path = (string | number)[];

const PERSON: Readonly<Record<string, Path>> = {
  legalFirstName: ['person', 'firstName'],
  legalLastName: ['person', 'lastName'],
  legalMiddleName: ['person', 'middleName'],
  phoneNumber: ['person', 'phone'],
  dateOfBirth: ['person', 'dateOfBirth'],
  nationality: ['person', 'nationality'],
  employmentStatus: ['profile', 'employmentStatus'],
  mostRecentOccupation: ['profile', 'occupation'],
  sourceOfFunds: ['profile', 'sourceOfFunds'],
  accountPurpose: ['profile', 'accountPurpose'],
  expectedMonthlyPaymentsUsd: ['profile', 'expectedMonthlyVolumeUsd'],
  isIntermediary: ['profile', 'isIntermediary'],
};

const IDENTIFIER_FIELDS: Readonly<Record<string, string>> = {
  nationalIdType: 'type',
  nationalIdNumber: 'value',
  nationalIdIssuingCountry: 'issuingCountry',
};

const ADDRESS_FIELDS: Readonly<Record<string, string>> = {
  addressLine1: 'line1',
  addressLine2: 'line2',
  city: 'city',
  state: 'state',
  stateCode: 'stateCode',
  postalCode: 'postalCode',
  country: 'country',
  // Derived from the address country.
  locale: 'country',
};

const DOCUMENT_FIELDS: Readonly<Record<string, string>> = {
  type: 'type',
  number: 'number',
  issuingCountry: 'issuingCountry',
  expirationDate: 'expiresOn',
  issueDate: 'issuedOn',
  frontImageUrl: 'front',
  backImageUrl: 'back',
};

/** A kycData path as the provider names it → the application path it came from; `undefined` when unknown. */
export function applicationPathFor(providerPath: string, origin: KycDataOrigin): Path | undefined {
  const segments = tokenize(providerPath);
  const [head, second, third] = segments;
  if (typeof head !== 'string') return undefined;
  const person = PERSON[head];
  if (person !== undefined) return [...person];
  const identifierField = IDENTIFIER_FIELDS[head];
  if (identifierField !== undefined) {
    return origin.identifierIndex === undefined ? ['identifiers'] : ['identifiers', origin.identifierIndex, identifierField];
  }
  if (head === 'address') {
    if (second === undefined) return ['address'];
    const field = typeof second === 'string' ? ADDRESS_FIELDS[second] : undefined;
    return field === undefined ? ['address'] : ['address', field];
  }
  if (head === 'documents') {
    if (typeof second !== 'number') return ['documents'];
    const index = origin.documentIndexes[second] ?? second;
    if (third === undefined) return ['documents', index];
    const field = typeof third === 'string' ? DOCUMENT_FIELDS[third] : undefined;
    return field === undefined ? ['documents', index] : ['documents', index, field];
  }
  return undefined;
}

function tokenize(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([A-Za-z_]\w*)|\[(\d+)\]/g)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
  }
  return segments;
}

function issueCode(providerPath: string, detail: string): string {
  const leaf = tokenize(providerPath).filter((segment): segment is string => typeof segment === 'string').at(-1) ?? '';
  if (leaf === 'phoneNumber') return 'invalid_phone';
  if (leaf === 'dateOfBirth' && /\b(?:age|old|years)\b/i.test(detail)) return 'underage';
  if (leaf === 'dateOfBirth' || leaf === 'expirationDate' || leaf === 'issueDate') return 'invalid_date';
  if (/country|nationality/i.test(leaf)) return 'invalid_country';
  return 'provider_rejected';
}

/** `['documents', 0, 'front']` → `documents[0].front`, as core prints issue paths. */
function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}
