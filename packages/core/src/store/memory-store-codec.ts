import type { Customer } from '../models/customer.js';
import { CUSTOMER_STATUSES } from '../models/customer-status.js';
import { KYC_EVENT_TYPES, type KycEvent } from '../models/events.js';

/*
 * memoryStore's compact encoding. A customer is kept as one JSON text of its
 * fields in a fixed order (no key names; timestamps on the creation day written
 * without the date; repeated timestamps, empty lists and values equal to another
 * field written as a digit), and its events as one more text of tuples relative
 * to the customer (no ids, references or provider ids repeated). Identity fields
 * live once, in the entry. A read parses the text and returns a fresh object.
 * Guarded by a round-trip property (test/store/memory-store-roundtrip.test.ts).
 */

/** One stored customer: its encoded fields and events, and what the indexes and `list` need without decoding. */
export class Entry {
  constructor(
    /** The customer's id (also the key of the store's map: the same string). */
    public readonly id: string,
    /** The customer's other fields, `encodeCustomer`. */
    public data: string,
    /** Comma-separated event tuples, `encodeEvent`; '' when none. */
    public events: string,
    public version: number,
    public status: string,
    public reference: string,
    public provider: string,
    public providerCustomerId: string,
    /** `YYYY-MM-DD` of `createdAt` (interned), which event timestamps are written against. */
    public datePrefix: string | undefined,
  ) {}
  /** The customer's number in the event log (`memory-event-log.ts`), once it has events; -1 before. */
  logSlot = -1;
  /** When reconcile next polls the customer (`StoreCommit.reconcileDueAt` of its last commit). */
  reconcileDueAt: string | undefined = undefined;
  /**
   * The deliveries committed with its changes, flat: `provider, dedupeKey, processedAt (epoch ms)` per
   * delivery (the key is the string the dedupe set holds; the time is formatted when listed).
   */
  deliveries: (string | number)[] | undefined = undefined;
}

// --- customers -----------------------------------------------------------------

/**
 * Positions in the customer tuple. `id`, `reference`, `provider`,
 * `providerCustomerId`, `status` and `version` are not in it: the entry holds them.
 */
const enum C {
  type,
  email,
  firstName,
  lastName,
  providerReference,
  attempts,
  rawStatus,
  requirements,
  rejection,
  verificationLevel,
  submissions,
  machineVersion,
  lastReportAt,
  lastReceivedAt,
  lastCheckedAt,
  pendingSince,
  reviewOverdueAt,
  createdAt,
  updatedAt,
  submittedAt,
  verifiedAt,
  activatedAt,
  rejectedAt,
  deactivatedAt,
  ignored,
  eventCount,
  /** 0 when absent (levels start at 1). */
  reviewOverdueLevel,
  /** Fields the tuple has no slot for (or values of an unexpected type), as an object; absent when none. */
  extras,
}

/** Timestamp slots in encoding (and decoding) order: a repeated value refers to an earlier slot. */
const TIMESTAMP_SLOTS = [
  C.createdAt,
  C.lastReportAt,
  C.lastReceivedAt,
  C.lastCheckedAt,
  C.pendingSince,
  C.reviewOverdueAt,
  C.updatedAt,
  C.submittedAt,
  C.verifiedAt,
  C.activatedAt,
  C.rejectedAt,
  C.deactivatedAt,
] as const;

const TIMESTAMP_KEYS: Readonly<Record<number, keyof Customer>> = {
  [C.createdAt]: 'createdAt',
  [C.lastReportAt]: 'lastReportAt',
  [C.lastReceivedAt]: 'lastReceivedAt',
  [C.lastCheckedAt]: 'lastCheckedAt',
  [C.pendingSince]: 'pendingSince',
  [C.reviewOverdueAt]: 'reviewOverdueAt',
  [C.updatedAt]: 'updatedAt',
  [C.submittedAt]: 'submittedAt',
  [C.verifiedAt]: 'verifiedAt',
  [C.activatedAt]: 'activatedAt',
  [C.rejectedAt]: 'rejectedAt',
  [C.deactivatedAt]: 'deactivatedAt',
};

/** Every key the tuple (or the entry) covers; anything else goes to `extras`. */
const CUSTOMER_KEYS: ReadonlySet<string> = new Set<keyof Customer>([
  'id',
  'reference',
  'type',
  'email',
  'firstName',
  'lastName',
  'provider',
  'providerCustomerId',
  'providerReference',
  'attempts',
  'status',
  'rawStatus',
  'requirements',
  'rejection',
  'verificationLevel',
  'submissions',
  'machineVersion',
  'lastReportAt',
  'lastReceivedAt',
  'lastCheckedAt',
  'pendingSince',
  'reviewOverdueAt',
  'createdAt',
  'updatedAt',
  'submittedAt',
  'verifiedAt',
  'activatedAt',
  'rejectedAt',
  'deactivatedAt',
  'ignored',
  'eventCount',
  'reviewOverdueLevel',
  'version',
]);

const STATUS_INDEX = new Map<string, number>(CUSTOMER_STATUSES.map((status, index) => [status, index]));
const EVENT_TYPE_INDEX = new Map<string, number>(KYC_EVENT_TYPES.map((type, index) => [type, index]));
const SOURCES = ['api', 'webhook', 'poll'] as const;
const SOURCE_INDEX = new Map<string, number>(SOURCES.map((source, index) => [source, index]));

export function encodeCustomer(customer: Customer): string {
  extras = undefined;
  const c = customer;
  // Timestamps: the creation day is written once; a repeat of an earlier slot (in `TIMESTAMP_SLOTS`
  // order) is that slot's number. `timestamps` holds them in that order for the repeat checks.
  const createdAt = c.createdAt;
  const prefix = typeof createdAt === 'string' ? datePrefixOf(createdAt) : undefined;
  timestamps[0] = createdAt;
  timestamps[1] = c.lastReportAt;
  timestamps[2] = c.lastReceivedAt;
  timestamps[3] = c.lastCheckedAt;
  timestamps[4] = c.pendingSince;
  timestamps[5] = c.reviewOverdueAt;
  timestamps[6] = c.updatedAt;
  timestamps[7] = c.submittedAt;
  timestamps[8] = c.verifiedAt;
  timestamps[9] = c.activatedAt;
  timestamps[10] = c.rejectedAt;
  timestamps[11] = c.deactivatedAt;
  const attempts = c.attempts;
  const reviewOverdueLevel = c.reviewOverdueLevel;
  const tuple: unknown[] = [
    c.type === 'individual' ? 0 : c.type === 'business' ? 1 : text('type', c.type),
    text('email', c.email),
    text('firstName', c.firstName),
    text('lastName', c.lastName),
    c.providerReference === c.reference ? 0 : text('providerReference', c.providerReference),
    !Array.isArray(attempts) ? aside('attempts', attempts) : attempts.length === 0 ? 0 : encodeAttempts(attempts, c, prefix),
    text('rawStatus', c.rawStatus),
    list('requirements', c.requirements),
    c.rejection === undefined ? 0 : typeof c.rejection === 'object' && c.rejection !== null ? c.rejection : aside('rejection', c.rejection),
    c.verificationLevel === undefined ? 0 : text('verificationLevel', c.verificationLevel),
    count('submissions', c.submissions),
    count('machineVersion', c.machineVersion),
    time(1, prefix),
    time(2, prefix),
    time(3, prefix),
    time(4, prefix),
    time(5, prefix),
    typeof createdAt === 'string' ? createdAt : aside('createdAt', createdAt),
    time(6, prefix),
    time(7, prefix),
    time(8, prefix),
    time(9, prefix),
    time(10, prefix),
    time(11, prefix),
    list('ignored', c.ignored),
    count('eventCount', c.eventCount),
    reviewOverdueLevel === undefined ? 0 : reviewOverdueLevel === 0 ? aside('reviewOverdueLevel', 0) : count('reviewOverdueLevel', reviewOverdueLevel),
  ];
  if (!hasOnlyTupleKeys(c)) {
    for (const key in c) {
      if (!CUSTOMER_KEYS.has(key)) aside(key, (c as unknown as Record<string, unknown>)[key]);
    }
  }
  const kept = extras;
  extras = undefined;
  timestamps.fill(undefined);
  if (kept !== undefined) tuple.push(kept);
  // The last slot is almost always 0: left out (decoded as 0) unless extras follow it.
  else if (tuple[C.reviewOverdueLevel] === 0) tuple.length = C.reviewOverdueLevel;
  return flatText(JSON.stringify(tuple));
}

/*
 * The encoder's scratch state. Encoding is synchronous and does not re-enter itself, so one set serves every
 * call (no encoder object, no closures per customer).
 */

/** Values kept aside by the customer being encoded: fields the tuple has no slot for, or values of an unexpected type. */
let extras: Record<string, unknown> | undefined;
/** The customer's timestamps in `TIMESTAMP_SLOTS` order. */
const timestamps: unknown[] = new Array(TIMESTAMP_SLOTS.length).fill(undefined);

/** Keeps `value` under `key` in the extras; its slot says `null`. */
function aside(key: string, value: unknown): null {
  (extras ??= {})[key] = value;
  return null;
}

function text(key: string, value: unknown): unknown {
  return typeof value === 'string' ? value : aside(key, value);
}

function count(key: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) ? value : aside(key, value);
}

function list(key: string, value: unknown): unknown {
  return Array.isArray(value) ? (value.length === 0 ? 0 : value) : aside(key, value);
}

/** The timestamp at `order` in `TIMESTAMP_SLOTS` (`timestamps[order]`): 0 when absent, an earlier slot's number, or compressed. */
function time(order: number, prefix: string | undefined): unknown {
  const value = timestamps[order];
  if (value === undefined) return 0;
  if (typeof value !== 'string') return aside(TIMESTAMP_KEYS[TIMESTAMP_SLOTS[order]!]!, value);
  return repeatedSlot(value, order) ?? compressTimestamp(value, prefix);
}

/** The slot number of a timestamp before `before` (in `TIMESTAMP_SLOTS` order) with the same value, if any. */
function repeatedSlot(value: string, before: number): number | undefined {
  for (let j = 0; j < before; j++) if (timestamps[j] === value) return TIMESTAMP_SLOTS[j];
  return undefined;
}

/**
 * The own keys of the last customer found to have no key outside the tuple. Customers of one process almost
 * all have the same keys in the same order (one object shape): comparing with these is a pointer comparison per
 * key, where looking each key up in `CUSTOMER_KEYS` cost more than the rest of the tuple.
 */
let tupleKeyList: readonly string[] = [];

/** True when every own key of `customer` has a place in the tuple (or the entry), i.e. there are no extras to keep. */
function hasOnlyTupleKeys(customer: Customer): boolean {
  const keys = Object.keys(customer);
  const known = tupleKeyList;
  if (keys.length === known.length && Object.getPrototypeOf(customer) === Object.prototype) {
    let index = 0;
    while (index < keys.length && keys[index] === known[index]) index++;
    if (index === keys.length) return true;
  }
  for (let index = 0; index < keys.length; index++) if (!CUSTOMER_KEYS.has(keys[index]!)) return false;
  // for-in (what the slow path reads) also walks inherited enumerable keys: such a customer is not cached.
  for (const key in customer) if (!Object.hasOwn(customer, key)) return false;
  tupleKeyList = keys;
  return true;
}

function encodeAttempts(attempts: readonly Customer['attempts'][number][], customer: Customer, prefix: string | undefined): unknown[] {
  const encoded = new Array<unknown>(attempts.length);
  for (let index = 0; index < attempts.length; index++) encoded[index] = encodeAttempt(attempts[index]!, customer, prefix);
  return encoded;
}

const ATTEMPT_KEYS: ReadonlySet<string> = new Set(['number', 'providerCustomerId', 'providerReference', 'status', 'rawStatus', 'startedAt']);

/** `[number, providerCustomerId | 0, providerReference | 0, status, rawStatus | 0, startedAt]`, 0 = same as the customer's. */
function encodeAttempt(attempt: Customer['attempts'][number], customer: Customer, prefix: string | undefined): unknown {
  if (typeof attempt !== 'object' || attempt === null) return attempt;
  let keys = 0;
  for (const key in attempt) {
    if (!ATTEMPT_KEYS.has(key)) return attempt;
    keys++;
  }
  const { number, providerCustomerId, providerReference, status, rawStatus, startedAt } = attempt;
  if (
    keys !== ATTEMPT_KEYS.size ||
    typeof number !== 'number' ||
    typeof providerCustomerId !== 'string' ||
    typeof providerReference !== 'string' ||
    typeof status !== 'string' ||
    typeof rawStatus !== 'string' ||
    typeof startedAt !== 'string'
  ) {
    return attempt;
  }
  return [
    number,
    providerCustomerId === customer.providerCustomerId ? 0 : providerCustomerId,
    providerReference === customer.providerReference ? 0 : providerReference,
    STATUS_INDEX.get(status) ?? status,
    rawStatus === customer.rawStatus ? 0 : rawStatus,
    repeatedSlot(startedAt, TIMESTAMP_SLOTS.length) ?? compressTimestamp(startedAt, prefix),
  ];
}

export function decodeCustomer(id: string, entry: Entry): Customer {
  const tuple = JSON.parse(entry.data) as unknown[];
  const extras = tuple.length > C.extras ? (tuple[C.extras] as Record<string, unknown>) : undefined;
  const reference = entry.reference;
  const rawStatus = field(tuple, extras, C.rawStatus, 'rawStatus');
  const providerReference = tuple[C.providerReference] === 0 ? reference : field(tuple, extras, C.providerReference, 'providerReference');

  // Timestamps first (in their encoding order): attempts and later slots may refer to them.
  const createdAt = field(tuple, extras, C.createdAt, 'createdAt');
  const prefix = typeof createdAt === 'string' ? datePrefixOf(createdAt) : undefined;
  const times = decodedTimes;
  times[C.createdAt] = createdAt;
  for (let i = 1; i < TIMESTAMP_SLOTS.length; i++) {
    const slot = TIMESTAMP_SLOTS[i]!;
    const value = tuple[slot];
    times[slot] =
      value === 0
        ? undefined
        : typeof value === 'string'
          ? expandTimestamp(value, prefix)
          : typeof value === 'number'
            ? times[value]
            : extras?.[TIMESTAMP_KEYS[slot]!];
  }

  const encodedAttempts = tuple[C.attempts];
  let attempts: unknown;
  if (encodedAttempts === 0) attempts = [];
  else if (encodedAttempts === null) attempts = extras?.attempts;
  else {
    const list = encodedAttempts as unknown[];
    const decoded = new Array<unknown>(list.length);
    for (let index = 0; index < list.length; index++) {
      const attempt = list[index];
      decoded[index] = Array.isArray(attempt)
        ? {
            number: attempt[0],
            providerCustomerId: attempt[1] === 0 ? entry.providerCustomerId : attempt[1],
            providerReference: attempt[2] === 0 ? providerReference : attempt[2],
            status: typeof attempt[3] === 'number' ? CUSTOMER_STATUSES[attempt[3]] : attempt[3],
            rawStatus: attempt[4] === 0 ? rawStatus : attempt[4],
            startedAt: typeof attempt[5] === 'number' ? times[attempt[5]] : expandTimestamp(attempt[5], prefix),
          }
        : attempt;
    }
    attempts = decoded;
  }
  const type = tuple[C.type];
  const requirements = tuple[C.requirements];
  const rejection = tuple[C.rejection];
  const verificationLevel = tuple[C.verificationLevel];
  const ignored = tuple[C.ignored];
  // Absent (a shorter tuple) means 0.
  const reviewOverdueLevel = tuple.length > C.reviewOverdueLevel ? tuple[C.reviewOverdueLevel] : 0;

  const customer = {
    id,
    reference,
    type: type === 0 ? 'individual' : type === 1 ? 'business' : field(tuple, extras, C.type, 'type'),
    email: field(tuple, extras, C.email, 'email'),
    firstName: field(tuple, extras, C.firstName, 'firstName'),
    lastName: field(tuple, extras, C.lastName, 'lastName'),
    provider: entry.provider,
    providerCustomerId: entry.providerCustomerId,
    providerReference,
    attempts,
    status: entry.status,
    rawStatus,
    requirements: requirements === 0 ? [] : field(tuple, extras, C.requirements, 'requirements'),
    rejection: rejection === 0 ? undefined : field(tuple, extras, C.rejection, 'rejection'),
    verificationLevel: verificationLevel === 0 ? undefined : field(tuple, extras, C.verificationLevel, 'verificationLevel'),
    submissions: field(tuple, extras, C.submissions, 'submissions'),
    machineVersion: field(tuple, extras, C.machineVersion, 'machineVersion'),
    lastReportAt: times[C.lastReportAt],
    lastReceivedAt: times[C.lastReceivedAt],
    lastCheckedAt: times[C.lastCheckedAt],
    pendingSince: times[C.pendingSince],
    reviewOverdueAt: times[C.reviewOverdueAt],
    createdAt,
    updatedAt: times[C.updatedAt],
    submittedAt: times[C.submittedAt],
    verifiedAt: times[C.verifiedAt],
    activatedAt: times[C.activatedAt],
    rejectedAt: times[C.rejectedAt],
    deactivatedAt: times[C.deactivatedAt],
    ignored: ignored === 0 ? [] : field(tuple, extras, C.ignored, 'ignored'),
    eventCount: field(tuple, extras, C.eventCount, 'eventCount'),
    reviewOverdueLevel: reviewOverdueLevel === 0 ? undefined : field(tuple, extras, C.reviewOverdueLevel, 'reviewOverdueLevel'),
    version: entry.version,
  } as Customer;
  if (extras !== undefined) {
    for (const key in extras) if (!CUSTOMER_KEYS.has(key)) (customer as unknown as Record<string, unknown>)[key] = extras[key];
  }
  return customer;
}

/** A slot's value; `null` means it was kept aside in `extras` under its key. */
function field(tuple: readonly unknown[], extras: Record<string, unknown> | undefined, slot: C, key: string): any {
  const value = tuple[slot];
  return value === null && extras !== undefined ? extras[key] : value;
}

/** The decoder's timestamps by slot (decoding is synchronous: one array serves every call; each slot is written before it is read). */
const decodedTimes: unknown[] = new Array(C.extras).fill(undefined);

// --- events ----------------------------------------------------------------------

/**
 * `[seq | id, type, from, to, at, occurredAt, source, ...data, providerStatus?]`,
 * relative to the customer committed with it: `customerId`, `reference`,
 * `provider` and `providerCustomerId` are the customer's; an id
 * `evt_<customerId>_<n>` is `n`; `occurredAt` is 0 when absent and 1 when equal
 * to `at`; `providerStatus` is left off when it is the usual one for the
 * provider and `to` (see `usualProviderStatus`), 0 when absent. An event that
 * does not fit (another customer's identity, an unknown type or key) is kept whole.
 */
export function encodeEvent(event: KycEvent, customer: Customer, prefix: string | undefined): string {
  const type = EVENT_TYPE_INDEX.get(event.type);
  if (
    type === undefined ||
    event.customerId !== customer.id ||
    event.reference !== customer.reference ||
    event.provider !== customer.provider ||
    event.providerCustomerId !== customer.providerCustomerId ||
    typeof event.id !== 'string' ||
    typeof event.at !== 'string' ||
    typeof event.to !== 'string' ||
    typeof event.source !== 'string' ||
    (event.from !== null && typeof event.from !== 'string') ||
    (event.occurredAt !== undefined && typeof event.occurredAt !== 'string') ||
    (event.providerStatus !== undefined && typeof event.providerStatus !== 'string') ||
    !hasOnlyKnownKeys(event)
  ) {
    return JSON.stringify(event);
  }
  // Written by hand: for a tuple this small, JSON.stringify's per-call cost is most of the work.
  const seq = sequenceOf(event.id, customer.id);
  const from = event.from === null ? null : (STATUS_INDEX.get(event.from) ?? event.from);
  const to = STATUS_INDEX.get(event.to) ?? event.to;
  const at = compressTimestamp(event.at, prefix);
  const occurredAt = event.occurredAt === undefined ? 0 : event.occurredAt === event.at ? 1 : compressTimestamp(event.occurredAt, prefix);
  const source = SOURCE_INDEX.get(event.source) ?? event.source;
  let text = `[${seq ?? jsonText(event.id)},${type},${jsonValue(from)},${jsonValue(to)},${jsonText(at)},${jsonValue(occurredAt)},${jsonValue(source)}`;
  switch (event.type) {
    case 'customer.needs_info':
      // Missing type-specific data is not the compact shape: keep such an event as plain JSON.
      if (event.requirements === undefined) return JSON.stringify(event);
      text += `,${JSON.stringify(event.requirements)}`;
      break;
    case 'customer.rejected':
      if (event.rejection === undefined) return JSON.stringify(event);
      text += `,${JSON.stringify(event.rejection)}`;
      break;
    case 'customer.verified':
      text += event.verificationLevel === undefined ? ',0' : `,${JSON.stringify(event.verificationLevel)}`;
      break;
    case 'customer.review_overdue':
      if (typeof event.pendingSince !== 'string' || typeof event.escalateAfterMs !== 'number') return JSON.stringify(event);
      text += `,${jsonText(compressTimestamp(event.pendingSince, prefix))},${JSON.stringify(event.escalateAfterMs)}`;
      break;
    default:
      break;
  }
  return `${text}${providerStatusSlot(event)}]`;
}

/**
 * The trailing slot: nothing when the event's provider status is the usual one for its provider and `to`
 * (each event would otherwise repeat the same few words: figure 4 of the bench counts every byte), 0 when
 * the event has none, else the text.
 */
function providerStatusSlot(event: KycEvent): string {
  const raw = event.providerStatus;
  if (raw === undefined) return ',0';
  return raw === usualProviderStatus(event.provider, event.to, raw) ? '' : `,${jsonText(raw)}`;
}

/**
 * provider → `to` → the first provider status an event of that provider and `to` carried in this process:
 * most providers send one value per normalized status. Append only (stored tuples that left the slot off
 * are decoded against it), and bounded: past the limit new pairs are written out in full.
 */
const usualProviderStatuses = new Map<string, Map<string, string>>();
let usualProviderStatusCount = 0;
const USUAL_PROVIDER_STATUSES_MAX = 10_000;

/** The usual provider status for `provider` and `to`, learning `candidate` as it when there is none yet (and room). */
function usualProviderStatus(provider: string, to: string, candidate: string): string | undefined {
  let byStatus = usualProviderStatuses.get(provider);
  const known = byStatus?.get(to);
  if (known !== undefined || usualProviderStatusCount >= USUAL_PROVIDER_STATUSES_MAX) return known;
  if (byStatus === undefined) {
    byStatus = new Map();
    usualProviderStatuses.set(provider, byStatus);
  }
  byStatus.set(to, candidate);
  usualProviderStatusCount += 1;
  return candidate;
}

/** How many data slots each event type writes after `source`, i.e. where its provider-status slot is. */
const DATA_SLOTS: Readonly<Record<string, number>> = {
  'customer.needs_info': 1,
  'customer.rejected': 1,
  'customer.verified': 1,
  'customer.review_overdue': 2,
};

/** Strings that JSON writes as they are (printable ASCII without `"` and `\\`). */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function jsonText(value: string): string {
  return PLAIN_JSON_TEXT.test(value) ? `"${value}"` : JSON.stringify(value);
}

function jsonValue(value: string | number | null): string {
  if (typeof value === 'string') return jsonText(value);
  // The numbers here are small indexes and flags: `String` writes them as JSON does, without its per-call cost.
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : JSON.stringify(value);
}

const EVENT_BASE_KEYS = ['id', 'type', 'customerId', 'reference', 'provider', 'providerCustomerId', 'from', 'to', 'at', 'occurredAt', 'source', 'providerStatus'];
const EVENT_KEYS: Readonly<Record<string, ReadonlySet<string>>> = Object.fromEntries(
  KYC_EVENT_TYPES.map((type) => [
    type,
    new Set([
      ...EVENT_BASE_KEYS,
      ...(type === 'customer.needs_info'
        ? ['requirements']
        : type === 'customer.rejected'
          ? ['rejection']
          : type === 'customer.verified'
            ? ['verificationLevel']
            : type === 'customer.review_overdue'
              ? ['pendingSince', 'escalateAfterMs']
              : []),
    ]),
  ]),
);

function hasOnlyKnownKeys(event: KycEvent): boolean {
  // As for customers (`hasOnlyTupleKeys`): events of one type almost always have the same keys in the same
  // order, so the last key list found clean for the type is compared by pointer first.
  const keys = Object.keys(event);
  const clean = cleanEventKeyLists.get(event.type);
  if (clean !== undefined && clean.length === keys.length && Object.getPrototypeOf(event) === Object.prototype) {
    let index = 0;
    while (index < keys.length && keys[index] === clean[index]) index++;
    if (index === keys.length) return true;
  }
  const known = EVENT_KEYS[event.type]!;
  for (const key in event) if (!known.has(key)) return false;
  for (const key in event) if (!Object.hasOwn(event, key)) return false;
  cleanEventKeyLists.set(event.type, keys);
  return true;
}

/** Event type → the own keys of the last event of that type found to have only known keys. */
const cleanEventKeyLists = new Map<string, readonly string[]>();

/** `n` for an id `evt_<customerId>_<n>` (as core makes them), else undefined. */
function sequenceOf(id: string, customerId: string): number | undefined {
  if (typeof id !== 'string' || !id.startsWith('evt_') || id.length <= customerId.length + 5) return undefined;
  if (!id.startsWith(customerId, 4) || id.charCodeAt(customerId.length + 4) !== 95 /* _ */) return undefined;
  // Digits only, no leading zero, at most 15 of them (a safe integer): then `String(n)` gives them back.
  const start = customerId.length + 5;
  if (id.length - start > 15 || id.charCodeAt(start) === 48 /* 0 */) return undefined;
  let n = 0;
  for (let index = start; index < id.length; index++) {
    const digit = id.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    n = n * 10 + digit;
  }
  return n;
}

export function decodeEvents(customerId: string, entry: Entry): KycEvent[] {
  if (entry.events === '') return [];
  const tuples = JSON.parse(`[${entry.events}]`) as unknown[];
  return tuples.map((tuple) => (Array.isArray(tuple) ? decodeEvent(tuple, customerId, entry) : (tuple as KycEvent)));
}

function decodeEvent(tuple: unknown[], customerId: string, entry: Entry): KycEvent {
  const prefix = entry.datePrefix;
  const [seq, type, from, to, at, occurredAt, source] = tuple as [number | string, number, number | string | null, number | string, string, 0 | 1 | string, number | string];
  const expandedAt = expandTimestamp(at, prefix);
  const event: Record<string, unknown> = {
    id: typeof seq === 'number' ? `evt_${customerId}_${seq}` : seq,
    customerId,
    reference: entry.reference,
    provider: entry.provider,
    providerCustomerId: entry.providerCustomerId,
    from: typeof from === 'number' ? CUSTOMER_STATUSES[from] : from,
    to: typeof to === 'number' ? CUSTOMER_STATUSES[to] : to,
    at: expandedAt,
  };
  if (occurredAt !== 0) event.occurredAt = occurredAt === 1 ? expandedAt : expandTimestamp(occurredAt, prefix);
  event.source = typeof source === 'number' ? SOURCES[source] : source;
  const eventType = KYC_EVENT_TYPES[type]!;
  const providerStatus = tuple[7 + (DATA_SLOTS[eventType] ?? 0)];
  if (providerStatus === undefined) {
    const usual = usualProviderStatuses.get(entry.provider)?.get(event.to as string);
    if (usual !== undefined) event.providerStatus = usual;
  } else if (providerStatus !== 0) {
    event.providerStatus = providerStatus;
  }
  event.type = eventType;
  switch (eventType) {
    case 'customer.needs_info':
      event.requirements = tuple[7];
      break;
    case 'customer.rejected':
      event.rejection = tuple[7];
      break;
    case 'customer.verified':
      if (tuple[7] !== 0) event.verificationLevel = tuple[7];
      break;
    case 'customer.review_overdue':
      event.pendingSince = expandTimestamp(tuple[7] as string, prefix);
      event.escalateAfterMs = tuple[8];
      break;
    default:
      break;
  }
  return event as unknown as KycEvent;
}

// --- text ------------------------------------------------------------------------

/**
 * `text` as one contiguous string. V8 hands back `JSON.stringify` results, templates and joins of one as
 * concatenations (a tree of parts: about 90 bytes more for a customer's tuple than its characters need);
 * reading a character flattens it in place, and the garbage collector then drops the tree. Stored text is
 * flattened once, when written, instead of being kept as a tree (figure 4 of the bench counts every byte).
 */
export function flatText(text: string): string {
  // The character is folded into module state so that no compiler can drop the read as unused.
  flattenedSink ^= text.charCodeAt(0);
  return text;
}

let flattenedSink = 0;

// --- timestamps -------------------------------------------------------------------

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}T/;
/** One string per day in use, shared by every entry of that day. */
const datePrefixes = new Map<string, string>();

/** `YYYY-MM-DD` of an ISO timestamp (interned), or undefined for anything else. */
export function datePrefixOf(value: string): string | undefined {
  // A commit asks for the same customer's day up to three times (commit, encode, the read before): the last
  // answer is checked first (it is a `YYYY-MM-DD` already; the `T` after it completes the pattern).
  const last = lastDatePrefix;
  if (typeof value === 'string' && last !== undefined && value.charCodeAt(10) === 84 /* T */ && value.startsWith(last)) return last;
  if (typeof value !== 'string' || !DATE_PREFIX.test(value)) return undefined;
  const prefix = value.slice(0, 10);
  let known = datePrefixes.get(prefix);
  if (known === undefined) {
    if (datePrefixes.size >= 10_000) datePrefixes.clear();
    datePrefixes.set(prefix, prefix);
    known = prefix;
  }
  lastDatePrefix = known;
  return known;
}

/** The day `datePrefixOf` answered last. */
let lastDatePrefix: string | undefined;

/**
 * A timestamp on the `prefix` day is written from its `T` on (`T10:00:00.000Z`);
 * any other string that starts with `T` or `!` gets a `!` in front; the rest as is.
 */
function compressTimestamp(value: string, prefix: string | undefined): string {
  if (prefix !== undefined && value.length > 11 && value.charCodeAt(10) === 84 /* T */ && value.startsWith(prefix)) {
    return value.slice(10);
  }
  const first = value.charCodeAt(0);
  return first === 84 /* T */ || first === 33 /* ! */ ? `!${value}` : value;
}

function expandTimestamp(value: string, prefix: string | undefined): string {
  const first = value.charCodeAt(0);
  if (first === 84 /* T */) return `${prefix}${value}`;
  if (first === 33 /* ! */) return value.slice(1);
  return value;
}
