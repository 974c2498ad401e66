import { ConfigurationError, type DocumentType, type IdentifierType } from '@openkyc/core';
import type { IdentifierTypeEntry } from './clients-command-api.js';

/**
 * Identifier types are code values configured per tenant: their ids differ
 * between installations, so they are looked up BY NAME in
 * `GET /v1/clients/{id}/identifiers/template`, once per adapter instance,
 * and never hard-coded.
 */

/** The provider's type names this adapter sends (the contract's spelling). */
export type ClientsCommandIdentifierTypeName = 'SSN' | 'ITIN' | 'National ID' | 'Passport' | 'Drivers License' | 'Residence Permit';

/** Application identifiers → provider type. `tin` has no home here (refused by `validate`). */
export const IDENTIFIER_TYPE_NAMES: Readonly<Partial<Record<IdentifierType, ClientsCommandIdentifierTypeName>>> = {
  ssn: 'SSN',
  itin: 'ITIN',
  national_id: 'National ID',
};

/** Application identity documents → provider type of the identifier they are uploaded to. */
export const DOCUMENT_TYPE_NAMES: Readonly<Partial<Record<DocumentType, ClientsCommandIdentifierTypeName>>> = {
  passport: 'Passport',
  drivers_license: 'Drivers License',
  national_id: 'National ID',
  residence_permit: 'Residence Permit',
};

/** Spellings installations are known to use for the same type, compared case- and punctuation-insensitively. */
const ALIASES: Readonly<Record<ClientsCommandIdentifierTypeName, readonly string[]>> = {
  SSN: ['SSN', 'Social Security Number'],
  ITIN: ['ITIN', 'Individual Taxpayer Identification Number'],
  'National ID': ['National ID', 'National Identity Card', 'National ID Card'],
  Passport: ['Passport'],
  'Drivers License': ['Drivers License', "Driver's License", 'Driver License', 'Driving License', 'Driving Licence'],
  'Residence Permit': ['Residence Permit', 'Residence Card'],
};

const normalize = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The id of each provider type name, resolved from one template answer. */
export interface IdentifierTypeIds {
  idOf(name: ClientsCommandIdentifierTypeName): number;
  /** The provider type name of an existing identifier's type id (undefined for types this adapter does not use). */
  nameOf(id: number): ClientsCommandIdentifierTypeName | undefined;
}

export function resolveIdentifierTypes(provider: string, entries: readonly IdentifierTypeEntry[]): IdentifierTypeIds {
  const byName = new Map<ClientsCommandIdentifierTypeName, number>();
  for (const [name, aliases] of Object.entries(ALIASES) as [ClientsCommandIdentifierTypeName, readonly string[]][]) {
    const wanted = new Set(aliases.map(normalize));
    const match = entries.find((entry) => wanted.has(normalize(entry.name)));
    if (match !== undefined) byName.set(name, match.id);
  }
  return {
    idOf(name) {
      const id = byName.get(name);
      if (id === undefined) {
        const known = entries.map((entry) => entry.name).join(', ') || 'none';
        throw new ConfigurationError(
          `${provider}: the tenant has no identifier type named '${name}' (it has: ${known}); add it to the tenant's identifier types (code values) or do not send this kind of identifier or document.`,
        );
      }
      return id;
    },
    nameOf(id) {
      for (const [name, typeId] of byName) if (typeId === id) return name;
      return undefined;
    },
  };
}

/**
 * One template lookup per adapter instance, shared by concurrent callers (the
 * template lives under a client, so each caller says how to load it with its
 * own client; only the first load runs). A failed lookup is forgotten so the
 * next call tries again.
 */
export function identifierTypeCache(
  provider: string,
): (load: () => Promise<readonly IdentifierTypeEntry[]>) => Promise<IdentifierTypeIds> {
  let cached: Promise<IdentifierTypeIds> | undefined;
  return (load) => {
    cached ??= load().then(
      (entries) => resolveIdentifierTypes(provider, entries),
      (error: unknown) => {
        cached = undefined;
        throw error;
      },
    );
    return cached;
  };
}
