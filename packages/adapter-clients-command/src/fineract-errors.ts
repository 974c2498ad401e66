import {
  ProviderError,
  ValidationError,
  defaultProviderTextScrubber,
  documentedProviderCode,
  providerCodeVocabulary,
  type ProviderTextScrubber,
  type ValidationIssue,
  lazySchema,
} from '@openkyc/core';
import { mapHttpError, type ErrorResponse, type ProviderErrorInfo } from '@openkyc/core/http';
import type { z } from 'zod';

/**
 * Fineract's error envelope → typed errors.
 *
 * `{developerMessage, httpStatusCode: "403" (a string), defaultUserMessage,
 * userMessageGlobalisationCode, errors: [{userMessageGlobalisationCode,
 * parameterName, value, …}]}`. Only codes are ever used in messages, and only
 * codes of {@link FINERACT_CODES} that carry no submitted value: the
 * provider's own texts, `value`s, `args` and parameter names echo what was
 * sent (document numbers, dates of birth), and custom validators build codes
 * from them too.
 */

/**
 * The codes this provider documents: the contract's, and Fineract's grammar
 * for the families it leaves open — `validation.msg.<resource>.<param>.<reason>`
 * (one per bad parameter), verify rules added later
 * (`error.msg.client.verify.<rule>`), command state refusals and platform
 * errors. Segments are lower-case words (a parameter may be camelCase with
 * digits), so a value written into a code does not pass; the scrubber catches
 * one that happens to look like a word.
 */
export const FINERACT_CODES = providerCodeVocabulary([
  'error.msg.not.authenticated',
  'validation.msg.validation.errors.exist',
  'validation.msg.domain.rule.violation',
  'error.msg.client.id.invalid',
  'error.msg.clientIdentifier.id.invalid',
  'error.msg.client.duplicate.externalId',
  'error.msg.clientIdentifier.type.duplicate',
  'error.msg.client.activate.not.verified',
  'error.msg.client.already.active',
  'error.msg.too.many.requests',
  /validation\.msg\.[a-z][A-Za-z]*\.[a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z]*){1,6}/,
  /error\.msg\.client\.verify(?:\.[a-z]+){1,6}/,
  /error\.msg\.client\.[a-z][A-Za-z]*\.invalid\.state/,
  /error\.msg\.platform(?:\.[a-z]+){1,4}/,
]);

const errorEntrySchema = lazySchema((z) =>
  z.object({
    userMessageGlobalisationCode: z.string().nullish(),
    parameterName: z.string().nullish(),
  }),
);

export const fineractEnvelopeSchema = lazySchema((z) =>
  z.object({
    httpStatusCode: z.union([z.string(), z.number()]).nullish(),
    userMessageGlobalisationCode: z.string().nullish(),
    errors: z.array(z.unknown()).nullish(),
  }),
);

/** What this adapter keeps of an error body: codes and parameter names, no texts or values. */
export interface FineractEnvelope {
  /** Top-level `userMessageGlobalisationCode`. */
  readonly code: string | undefined;
  readonly errors: readonly FineractErrorEntry[];
}

export interface FineractErrorEntry {
  readonly code: string | undefined;
  readonly parameterName: string | undefined;
}

/** Umbrella codes that only say "see `errors`". */
const GENERIC_CODES = new Set(['validation.msg.validation.errors.exist', 'validation.msg.domain.rule.violation']);

/** Parses an error body; an unreadable one becomes an empty envelope (the HTTP status still speaks). */
export function parseFineractEnvelope(json: unknown): FineractEnvelope {
  const parsed = fineractEnvelopeSchema().safeParse(json);
  if (!parsed.success) return { code: undefined, errors: [] };
  const errors: FineractErrorEntry[] = [];
  for (const raw of parsed.data.errors ?? []) {
    const entry = errorEntrySchema().safeParse(raw);
    if (!entry.success) continue;
    errors.push({
      code: safeCode(entry.data.userMessageGlobalisationCode),
      parameterName: safeCode(entry.data.parameterName),
    });
  }
  return { code: safeCode(parsed.data.userMessageGlobalisationCode), errors };
}

/** Every specific code in the envelope, in order, without repeats (entries first, then a specific top-level code). */
export function fineractCodes(envelope: FineractEnvelope): string[] {
  const codes: string[] = [];
  for (const entry of envelope.errors) if (entry.code !== undefined && !codes.includes(entry.code)) codes.push(entry.code);
  if (envelope.code !== undefined && !GENERIC_CODES.has(envelope.code) && !codes.includes(envelope.code)) codes.unshift(envelope.code);
  return codes;
}

/** True when the envelope carries `code` at the top level or in an entry. */
export function hasFineractCode(envelope: FineractEnvelope, code: string): boolean {
  return envelope.code === code || envelope.errors.some((entry) => entry.code === code);
}

/**
 * The toolkit's `mapError` for this provider: the most specific code as
 * `providerCode` (vetted by the toolkit), further documented codes as the
 * message. Provider texts are never used.
 */
export function mapFineractError(response: ErrorResponse): ProviderErrorInfo | undefined {
  if (response.json === undefined) return undefined;
  return describeEnvelope(parseFineractEnvelope(response.json), defaultProviderTextScrubber);
}

/**
 * A toolkit `mapError` whose "also" codes are vetted with `scrubber` (the
 * toolkit vets `providerCode` with the request's own).
 */
export function fineractErrorMapper(scrubber: ProviderTextScrubber): (response: ErrorResponse) => ProviderErrorInfo | undefined {
  return (response) => (response.json === undefined ? undefined : describeEnvelope(parseFineractEnvelope(response.json), scrubber));
}

/** The codes of `envelope` that may be shown: documented and free of submitted values. */
export function shownFineractCodes(envelope: FineractEnvelope, scrubber: ProviderTextScrubber = defaultProviderTextScrubber): string[] {
  return fineractCodes(envelope).filter((code) => documentedProviderCode(code, FINERACT_CODES, scrubber) !== undefined);
}

function describeEnvelope(envelope: FineractEnvelope, scrubber: ProviderTextScrubber): ProviderErrorInfo {
  const codes = fineractCodes(envelope);
  const providerCode = codes[0] ?? envelope.code;
  const rest = shownFineractCodes(envelope, scrubber).filter((code) => code !== providerCode);
  return {
    providerCode,
    message: rest.length > 0 ? `also ${rest.slice(0, 8).join(', ')}${rest.length > 8 ? ` (+${rest.length - 8} more)` : ''}` : undefined,
  };
}

/** A 400/403 the adapter received as a value (it asked for them with `expectStatus`). */
export interface FineractFailure {
  readonly status: number;
  readonly method: string;
  /** Path without query. */
  readonly path: string;
  readonly envelope: FineractEnvelope;
}

/** The typed error for a refusal the adapter did not handle itself (same shape as the toolkit's own). */
export function fineractProviderError(
  provider: string,
  failure: FineractFailure,
  scrubber: ProviderTextScrubber = defaultProviderTextScrubber,
): ProviderError {
  const info = describeEnvelope(failure.envelope, scrubber);
  return mapHttpError({
    provider,
    method: failure.method,
    url: failure.path,
    status: failure.status,
    providerCode: info.providerCode,
    message: info.message,
    providerCodes: FINERACT_CODES,
    scrubber,
  });
}

/** Where a Fineract parameter lives in the caller's input, or `undefined` when it is the adapter's own. */
export type ParameterPath = (parameterName: string) => readonly (string | number)[] | undefined;

/**
 * A 400 `validation.msg.validation.errors.exist` → `ValidationError`: one
 * issue per bad parameter, at the input path it came from where known, its
 * code derived from Fineract's (`…cannot.be.blank` → `required`). Messages
 * name the parameter, never its value. A 400 only about parameters the adapter
 * fills in itself (dates, ids) is the adapter's problem: a ProviderError.
 */
export function fineractValidationError(
  provider: string,
  failure: FineractFailure,
  pathOf: ParameterPath,
  scrubber: ProviderTextScrubber = defaultProviderTextScrubber,
): ValidationError | ProviderError {
  const issues: ValidationIssue[] = [];
  for (const entry of failure.envelope.errors) {
    const parameter = entry.parameterName ?? parameterFromCode(entry.code);
    const path = parameter === undefined ? undefined : pathOf(parameter);
    if (path === undefined) continue;
    const code = issueCode(entry.code);
    issues.push({ path, code, message: issueMessage(code, provider) });
  }
  if (issues.length === 0) return fineractProviderError(provider, failure, scrubber);
  return new ValidationError(issues);
}

/** `validation.msg.client.firstname.cannot.be.blank` → `firstname`. */
function parameterFromCode(code: string | undefined): string | undefined {
  const match = code === undefined ? null : /^validation\.msg\.[a-zA-Z]+\.([a-zA-Z0-9_]+)\./.exec(code);
  return match?.[1];
}

const REASONS: readonly (readonly [RegExp, string])[] = [
  [/\.cannot\.be\.blank$/, 'required'],
  [/\.exceeds\.max\.length$/, 'too_long'],
  [/\.cannot\.be\.a\.future\.date$/, 'date_in_future'],
  [/\.(invalid\.format|invalid\.date\.format)$/, 'invalid_format'],
  [/\.is\.not\.one\.of\.expected\.enumerations$/, 'invalid_value'],
  [/\.exceeds\.max\.size$/, 'file_too_large'],
  [/\.is\.empty$/, 'file_empty'],
  [/\.content\.type\.not\.allowed$/, 'unsupported_content_type'],
];

function issueCode(code: string | undefined): string {
  if (code === undefined) return 'invalid';
  for (const [pattern, issue] of REASONS) if (pattern.test(code)) return issue;
  return 'invalid';
}

function issueMessage(code: string, provider: string): string {
  switch (code) {
    case 'required':
      return `This value is required by ${provider}.`;
    case 'too_long':
      return `This value is longer than ${provider} accepts; shorten it.`;
    case 'date_in_future':
      return 'This date is in the future; send a date that is not after today.';
    case 'invalid_format':
      return `This value is not in a format ${provider} accepts.`;
    case 'file_too_large':
      return `The file is larger than ${provider} accepts; send a smaller file.`;
    case 'file_empty':
      return 'The file is empty; send the file bytes.';
    case 'unsupported_content_type':
      return `${provider} does not accept this file type; send a JPEG, PNG or PDF.`;
    default:
      return `${provider} refused this value; check it and submit again.`;
  }
}

/** Codes and parameter names are identifiers: anything else (a stray value) is dropped. */
function safeCode(value: string | null | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return /^[A-Za-z0-9_.-]{1,200}$/.test(trimmed) ? trimmed : undefined;
}
