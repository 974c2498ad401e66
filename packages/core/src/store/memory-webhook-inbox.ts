import { flatText } from './memory-store-codec.js';
import { compareParked, type ParkedDelivery, type WebhookInbox } from './webhook-inbox.js';

/**
 * memoryStore's webhook inbox: parked deliveries as JSON text (a read returns a fresh object, as for
 * customers), keyed by provider and dedupe key, indexed by provider record. Every method runs
 * synchronously between awaits, so it is atomic within the process.
 */
export function memoryWebhookInbox(): WebhookInbox {
  /** `provider \0 dedupeKey` → the parked delivery, encoded */
  const parked = new Map<string, string>();
  /** `provider \0 providerCustomerId` → keys into `parked` */
  const byRecord = new Map<string, Set<string>>();

  return {
    async park(delivery) {
      const key = keyOf(delivery.provider, delivery.dedupeKey);
      if (parked.has(key)) return false;
      // Flat: V8 keeps a JSON.stringify result as a tree of pieces (~90 B more) until it is read.
      parked.set(key, flatText(JSON.stringify(delivery)));
      const record = keyOf(delivery.provider, delivery.report.providerCustomerId);
      let keys = byRecord.get(record);
      if (keys === undefined) {
        keys = new Set();
        byRecord.set(record, keys);
      }
      keys.add(key);
      return true;
    },
    async listParked(provider, providerCustomerId) {
      const keys = byRecord.get(keyOf(provider, providerCustomerId));
      if (keys === undefined) return [];
      return [...keys].map((key) => decode(parked.get(key)!)).sort(compareParked);
    },
    async listAllParked(query = {}) {
      const all = [...parked.values()].map(decode).filter((delivery) => query.receivedBefore === undefined || delivery.receivedAt < query.receivedBefore);
      all.sort((a, b) => compareText(a.receivedAt, b.receivedAt) || compareText(a.dedupeKey, b.dedupeKey));
      return query.limit === undefined ? all : all.slice(0, query.limit);
    },
    async getParked(provider, dedupeKey) {
      const text = parked.get(keyOf(provider, dedupeKey));
      return text === undefined ? undefined : decode(text);
    },
    async unpark(provider, dedupeKey) {
      const key = keyOf(provider, dedupeKey);
      const text = parked.get(key);
      if (text === undefined) return;
      parked.delete(key);
      const record = keyOf(provider, decode(text).report.providerCustomerId);
      const keys = byRecord.get(record);
      keys?.delete(key);
      if (keys?.size === 0) byRecord.delete(record);
    },
  };
}

function keyOf(provider: string, id: string): string {
  return `${provider}\u0000${id}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function decode(text: string): ParkedDelivery {
  return JSON.parse(text) as ParkedDelivery;
}
