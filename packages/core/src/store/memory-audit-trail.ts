import { DEFAULT_AUDIT_LIMIT, type AuditEntry, type AuditTrail } from './audit-trail.js';
import { flatText } from './memory-store-codec.js';

/**
 * memoryStore's audit trail: entries as JSON text in append order (a read returns fresh objects), listed
 * newest first.
 */
export function memoryAuditTrail(): AuditTrail {
  const entries: { readonly at: string; readonly customerId: string | undefined; readonly text: string }[] = [];
  return {
    async appendAuditEntry(entry) {
      // Flat: V8 keeps a JSON.stringify result as a tree of pieces (~90 B more) until it is read.
      entries.push({ at: entry.at, customerId: entry.customerId, text: flatText(JSON.stringify(entry)) });
    },
    async listAuditEntries(query = {}) {
      const limit = query.limit ?? DEFAULT_AUDIT_LIMIT;
      const found: AuditEntry[] = [];
      // Newest `at` first; among equal times the later append first.
      const order = entries.map((entry, index) => ({ entry, index })).sort((a, b) => compareText(b.entry.at, a.entry.at) || b.index - a.index);
      for (const { entry } of order) {
        if (found.length >= limit) break;
        if (query.customerId !== undefined && entry.customerId !== query.customerId) continue;
        found.push(JSON.parse(entry.text) as AuditEntry);
      }
      return found;
    },
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
