/**
 * Code values (Fineract's configurable lookup tables): identifier document
 * types, rejection / closure / withdrawal reasons. Their ids differ between
 * installations, which is why each simulator instance gets its own table and
 * why the defaults deliberately differ from the contract's example ids.
 */

export interface ClientsCommandCodeValue {
  readonly id: number;
  readonly name: string;
}

/**
 * Default identifier types: the contract's six names, but with ids from 11 in a
 * shuffled order (the contract's example uses 1…6 in name order), so an adapter
 * that hard-codes ids instead of looking them up by name fails.
 */
export const DEFAULT_CLIENTS_COMMAND_IDENTIFIER_TYPES: readonly ClientsCommandCodeValue[] = [
  { id: 14, name: 'Drivers License' },
  { id: 11, name: 'SSN' },
  { id: 16, name: 'Passport' },
  { id: 12, name: 'Residence Permit' },
  { id: 15, name: 'ITIN' },
  { id: 13, name: 'National ID' },
];

/** Names that satisfy the FULL rule on their own. */
export const TAX_IDENTIFIER_TYPE_NAMES: readonly string[] = ['SSN', 'ITIN'];
/** Names that satisfy the FULL rule when at least one document is uploaded for them. */
export const ID_DOCUMENT_TYPE_NAMES: readonly string[] = ['Passport', 'Drivers License', 'National ID', 'Residence Permit'];

export const DEFAULT_CLIENTS_COMMAND_REJECTION_REASONS: readonly ClientsCommandCodeValue[] = [
  { id: 71, name: 'Identity could not be verified' },
  { id: 72, name: 'Document unreadable' },
  { id: 73, name: 'Suspected fraud' },
  { id: 74, name: 'Other' },
];

export const DEFAULT_CLIENTS_COMMAND_CLOSURE_REASONS: readonly ClientsCommandCodeValue[] = [
  { id: 81, name: 'Customer request' },
  { id: 82, name: 'Compliance' },
];

export const DEFAULT_CLIENTS_COMMAND_WITHDRAWAL_REASONS: readonly ClientsCommandCodeValue[] = [
  { id: 91, name: 'Applicant withdrew' },
];

/** Code value id of the `Verified` sub-status (installation specific in Fineract, fixed here). */
export const VERIFIED_SUB_STATUS: ClientsCommandCodeValue = { id: 27, name: 'Verified' };

/** A code table that can grow by name (control methods may name a reason the table lacks). */
export interface CodeTable {
  values(): ClientsCommandCodeValue[];
  byId(id: number): ClientsCommandCodeValue | undefined;
  /** Finds the value by name (case-insensitive), adding it with the next free id when missing. */
  byNameOrAdd(name: string): ClientsCommandCodeValue;
}

export function createCodeTable(label: string, initial: readonly ClientsCommandCodeValue[]): CodeTable {
  assertCodeValues(label, initial);
  const values = initial.map((value) => ({ id: value.id, name: value.name }));
  return {
    values: () => values.map((value) => ({ ...value })),
    byId: (id) => values.find((value) => value.id === id),
    byNameOrAdd(name) {
      const existing = values.find((value) => sameName(value.name, name));
      if (existing) return existing;
      const added = { id: Math.max(0, ...values.map((value) => value.id)) + 1, name };
      values.push(added);
      return added;
    },
  };
}

/** Throws when ids are not unique positive integers or names are blank / repeated. */
export function assertCodeValues(label: string, values: readonly ClientsCommandCodeValue[]): void {
  const ids = new Set<number>();
  const names = new Set<string>();
  for (const value of values) {
    if (!Number.isInteger(value.id) || value.id <= 0) throw new RangeError(`${label}: id must be a positive integer, got ${value.id}`);
    if (value.name.trim() === '') throw new RangeError(`${label}: name must not be blank (id ${value.id})`);
    const name = value.name.trim().toLowerCase();
    if (ids.has(value.id)) throw new RangeError(`${label}: duplicate id ${value.id}`);
    if (names.has(name)) throw new RangeError(`${label}: duplicate name ${value.name}`);
    ids.add(value.id);
    names.add(name);
  }
}

export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
