import { parseJsonBody, type SimulatorRequest, type SimulatorResponse } from '../shared/simulator-server.js';
import {
  CLIENTS_COMMAND_DATE_FORMAT,
  compareDates,
  formatClientsCommandDate,
  isEnglishLocale,
  parseClientsCommandDate,
  type ClientsCommandDate,
} from './clients-command-dates.js';
import { unsupportedMediaType, validationFailed, type ClientsCommandViolation } from './clients-command-errors.js';

/**
 * Request-parameter validation in Fineract's style: every parameter is checked,
 * each bad one yields exactly one entry `validation.msg.client.<param>.<reason>`,
 * and the handler answers 400 with all of them at once.
 */

export type JsonObject = Record<string, unknown>;

export type ReadJsonResult = { readonly ok: true; readonly body: JsonObject } | { readonly ok: false; readonly response: SimulatorResponse };

/** Reads a JSON object body; 415 without a JSON content type, 400 for malformed JSON or a non-object. */
export function readJsonObject(request: SimulatorRequest): ReadJsonResult {
  const contentType = request.headers['content-type'];
  if (mediaType(contentType) !== 'application/json') {
    return { ok: false, response: unsupportedMediaType('application/json', contentType) };
  }
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    const message = parsed.ok && parsed.value !== undefined ? 'The request body must be a JSON object.' : 'The request body is not valid JSON.';
    return { ok: false, response: validationFailed([{ code: 'validation.msg.client.json.invalid', parameterName: 'json', message }]) };
  }
  return { ok: true, body: parsed.value as JsonObject };
}

/** `multipart/form-data; boundary=…` → `multipart/form-data` (lower case). */
export function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

export interface StringRule {
  readonly required?: boolean;
  readonly maxLength?: number;
  /** A format check on the trimmed value, e.g. an e-mail pattern. */
  readonly pattern?: RegExp;
  readonly patternMessage?: string;
}

export interface DateRule {
  readonly required?: boolean;
  /** Reject dates after this one (usually today) with `…cannot.be.a.future.date`. */
  readonly notAfter?: ClientsCommandDate;
}

const ABSENT = Symbol('absent');

/**
 * Collects violations for one JSON body. Getters return the parsed value,
 * `null` for an explicit null / absent optional value, or `undefined` when the
 * parameter was bad (a violation has been recorded).
 */
export class ParameterValidator {
  private readonly found: ClientsCommandViolation[] = [];
  private readonly failed = new Set<string>();
  private dateContextChecked = false;
  private dateContextOk = false;

  constructor(
    private readonly body: JsonObject,
    private readonly resource = 'client',
  ) {}

  get violations(): readonly ClientsCommandViolation[] {
    return this.found;
  }

  get ok(): boolean {
    return this.found.length === 0;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.body, name);
  }

  /** Records a violation for `name` (only the first per parameter is kept). */
  fail(name: string, reason: string, message: string, value: unknown = null): undefined {
    if (this.failed.has(name)) return undefined;
    this.failed.add(name);
    this.found.push({ code: `validation.msg.${this.resource}.${name}.${reason}`, parameterName: name, message, value });
    return undefined;
  }

  /** Every key not in `allowed` is reported as unsupported (Fineract refuses unknown parameters). */
  rejectUnsupported(allowed: readonly string[]): void {
    for (const name of Object.keys(this.body)) {
      if (!allowed.includes(name)) this.fail(name, 'is.not.supported', `The parameter \`${name}\` is not supported.`, this.body[name]);
    }
  }

  string(name: string, rule: StringRule = {}): string | null | undefined {
    const raw = this.raw(name);
    if (raw === ABSENT || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      return rule.required ? this.fail(name, 'cannot.be.blank', `The parameter \`${name}\` is mandatory.`, raw === ABSENT ? null : raw) : null;
    }
    if (typeof raw !== 'string') return this.fail(name, 'must.be.a.string', `The parameter \`${name}\` must be a string.`, raw);
    const value = raw.trim();
    if (rule.maxLength !== undefined && value.length > rule.maxLength) {
      return this.fail(name, 'exceeds.max.length', `The parameter \`${name}\` exceeds max length of ${rule.maxLength}.`, raw);
    }
    if (rule.pattern !== undefined && !rule.pattern.test(value)) {
      return this.fail(name, 'invalid.format', rule.patternMessage ?? `The parameter \`${name}\` has an invalid format.`, raw);
    }
    return value;
  }

  /** A positive integer (ids). */
  id(name: string, required = false): number | null | undefined {
    const raw = this.raw(name);
    if (raw === ABSENT || raw === null) {
      return required ? this.fail(name, 'cannot.be.blank', `The parameter \`${name}\` is mandatory.`) : null;
    }
    if (typeof raw !== 'number' || !Number.isInteger(raw)) {
      return this.fail(name, 'must.be.an.integer', `The parameter \`${name}\` must be a whole number.`, raw);
    }
    if (raw <= 0) return this.fail(name, 'not.greater.than.zero', `The parameter \`${name}\` must be greater than 0.`, raw);
    return raw;
  }

  boolean(name: string, required = false): boolean | null | undefined {
    const raw = this.raw(name);
    if (raw === ABSENT || raw === null) {
      return required ? this.fail(name, 'cannot.be.blank', `The parameter \`${name}\` is mandatory.`) : null;
    }
    if (typeof raw !== 'boolean') return this.fail(name, 'must.be.true.or.false', `The parameter \`${name}\` must be true or false.`, raw);
    return raw;
  }

  /** One of `values`, compared exactly (or case-insensitively when asked). */
  oneOf<T extends string>(name: string, values: readonly T[], options: { required?: boolean; ignoreCase?: boolean } = {}): T | null | undefined {
    const text = this.string(name, { required: options.required === true });
    if (text === null || text === undefined) return text;
    const match = values.find((candidate) => (options.ignoreCase ? candidate.toLowerCase() === text.toLowerCase() : candidate === text));
    if (match === undefined) {
      return this.fail(
        name,
        'is.not.one.of.expected.enumerations',
        `The parameter \`${name}\` must be one of [${values.join(', ')}].`,
        this.body[name],
      );
    }
    return match;
  }

  /**
   * A date in the contract's format. The first date parameter also validates
   * `dateFormat` (must be `dd MMMM yyyy`) and `locale` (English); if those are
   * wrong, date values are not judged further.
   */
  date(name: string, rule: DateRule = {}): ClientsCommandDate | null | undefined {
    const raw = this.raw(name);
    if (raw === ABSENT || raw === null || raw === '') {
      return rule.required ? this.fail(name, 'cannot.be.blank', `The parameter \`${name}\` is mandatory.`) : null;
    }
    if (!this.checkDateContext()) return undefined;
    if (typeof raw !== 'string') {
      return this.fail(name, 'invalid.date.format', `The parameter \`${name}\` must be a date text in the format ${CLIENTS_COMMAND_DATE_FORMAT}.`, raw);
    }
    const date = parseClientsCommandDate(raw);
    if (date === undefined) {
      return this.fail(
        name,
        'invalid.date.format',
        `The parameter \`${name}\` value \`${raw}\` does not match the date format ${CLIENTS_COMMAND_DATE_FORMAT} (e.g. "05 May 1990").`,
        raw,
      );
    }
    if (rule.notAfter !== undefined && compareDates(date, rule.notAfter) > 0) {
      return this.fail(
        name,
        'cannot.be.a.future.date',
        `The parameter \`${name}\` (${raw}) cannot be after ${formatClientsCommandDate(rule.notAfter)}.`,
        raw,
      );
    }
    return date;
  }

  private checkDateContext(): boolean {
    if (this.dateContextChecked) return this.dateContextOk;
    this.dateContextChecked = true;
    const dateFormat = this.raw('dateFormat');
    const locale = this.raw('locale');
    if (dateFormat === ABSENT || dateFormat === null || dateFormat === '') {
      this.fail('dateFormat', 'cannot.be.blank', 'The parameter `dateFormat` is mandatory when dates are sent.');
    } else if (dateFormat !== CLIENTS_COMMAND_DATE_FORMAT) {
      this.fail('dateFormat', 'is.not.supported', `The dateFormat \`${String(dateFormat)}\` is not supported; use ${CLIENTS_COMMAND_DATE_FORMAT}.`, dateFormat);
    }
    if (locale === ABSENT || locale === null || locale === '') {
      this.fail('locale', 'cannot.be.blank', 'The parameter `locale` is mandatory when dates are sent.');
    } else if (typeof locale !== 'string' || !isEnglishLocale(locale)) {
      this.fail('locale', 'is.not.supported', `The locale \`${String(locale)}\` is not supported; use en.`, locale);
    }
    this.dateContextOk = !this.failed.has('dateFormat') && !this.failed.has('locale');
    return this.dateContextOk;
  }

  private raw(name: string): unknown {
    return Object.hasOwn(this.body, name) ? this.body[name] : ABSENT;
  }
}

/** Parameters that may accompany any body with dates. */
export const DATE_CONTEXT_PARAMETERS = ['dateFormat', 'locale'] as const;

/** Deliberately simple: something@something.tld, no spaces. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
