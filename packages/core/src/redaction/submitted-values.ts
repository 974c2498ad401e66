import type { SubmittedValue, SubmittedValueKind } from './value-patterns.js';

/**
 * What was sent to the provider, as far as it may come back in provider text:
 * the application of a `submit`, the customer details of a `createCustomer` or
 * `retry`, and anything else the adapter sent in a form of its own.
 *
 * Closed vocabularies (countries, document and identifier types, profile
 * enums, content types, booleans) are not collected: they are no personal data,
 * and scrubbing `US` or `passport` out of a provider message would only hide
 * what went wrong. State codes are left out for the same reason (`IN`, `OR`
 * and `ME` are words).
 */
export interface SubmittedValues {
  /**
   * The application `submit` sends: adapters pass the validated one
   * (`validateApplication(...).application`). Its variants also cover the forms
   * the user typed (untrimmed, an SSN without dashes). Read defensively all the
   * same: it may not be validated.
   */
  readonly application?: unknown;
  /** The customer details passed to `createCustomer` or `retry`. */
  readonly customer?:
    | {
        /** The end-customer's e-mail address. */
        readonly email?: string | undefined;
        /** The end-customer's first name. */
        readonly firstName?: string | undefined;
        /** The end-customer's last name. */
        readonly lastName?: string | undefined;
      }
    | undefined;
  /** More values the adapter sent (its own renderings, extra fields); their kind is guessed from their shape. */
  readonly values?: readonly string[] | undefined;
}

/** Every personal value in `submitted`, each with the kind that decides how it may be written back. */
export function collectSubmittedValues(submitted: SubmittedValues): SubmittedValue[] {
  const out: SubmittedValue[] = [];
  const add = (kind: SubmittedValueKind, value: unknown): void => {
    if (typeof value === 'string' && value.trim() !== '') out.push({ kind, value: value.trim() });
  };

  const application = record(submitted.application);
  const person = record(application?.person);
  add('text', person?.firstName);
  add('text', person?.middleName);
  add('text', person?.lastName);
  add('date', person?.dateOfBirth);
  add('email', person?.email);
  add('phone', person?.phone);

  const address = record(application?.address);
  add('text', address?.line1);
  add('text', address?.line2);
  add('text', address?.city);
  add('text', address?.state);
  add('identifier', address?.postalCode);

  for (const identifier of list(application?.identifiers)) add('identifier', record(identifier)?.value);
  for (const entry of list(application?.documents)) {
    const document = record(entry);
    add('identifier', document?.number);
    add('date', document?.expiresOn);
    add('date', document?.issuedOn);
    add('text', record(document?.front)?.filename);
    add('text', record(document?.back)?.filename);
  }
  add('text', record(application?.profile)?.occupation);

  const customer = submitted.customer;
  add('email', customer?.email);
  add('text', customer?.firstName);
  add('text', customer?.lastName);

  for (const value of submitted.values ?? []) add(guessKind(value), value);
  return out;
}

function guessKind(value: string): SubmittedValueKind {
  if (value.includes('@')) return 'email';
  if (/^\s*\d{4}-\d{2}-\d{2}/.test(value)) return 'date';
  if (/^\s*\+\d/.test(value)) return 'phone';
  if (/\d/.test(value) && !/\s/.test(value.trim())) return 'identifier';
  return 'text';
}

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
