import type { KycEvent } from '@openkyc/core';

/** One line of a customer's story: something the demo did, or an event openkyc emitted. */
export type JournalEntry =
  | { readonly kind: 'step'; readonly at: Date; readonly text: string }
  | { readonly kind: 'notice'; readonly at: Date; readonly text: string }
  | { readonly kind: 'event'; readonly event: KycEvent };

/**
 * Collects, per customer, the normalized events delivered to `kyc.subscribe`
 * and the demo's own narration ("the provider approves"), in order.
 */
export class DemoJournal {
  readonly #entries = new Map<string, JournalEntry[]>();
  readonly #pendingSteps: { at: Date; text: string }[] = [];
  readonly #recorded = new Set<string>();
  readonly #noticesFor = new Map<string, JournalEntry[]>();

  /** Narration before the customer exists (e.g. "createCustomer"): attached to the next customer created. */
  stepBeforeCustomer(at: Date, text: string): void {
    this.#pendingSteps.push({ at, text });
  }

  step(customerId: string, at: Date, text: string): void {
    this.#list(customerId).push({ kind: 'step', at, text });
  }

  /**
   * What the platform tells its end-user about an event (from `kyc.on(…)`
   * handlers). Shown right after the event, whichever handler ran first.
   */
  notice(event: KycEvent, text: string): void {
    const entry: JournalEntry = { kind: 'notice', at: new Date(event.at), text };
    if (this.#recorded.has(event.id)) {
      this.#list(event.customerId).push(entry);
      return;
    }
    const waiting = this.#noticesFor.get(event.id) ?? [];
    waiting.push(entry);
    this.#noticesFor.set(event.id, waiting);
  }

  record(event: KycEvent): void {
    const list = this.#list(event.customerId);
    if (event.type === 'customer.created') {
      for (const pending of this.#pendingSteps.splice(0)) list.push({ kind: 'step', ...pending });
    }
    list.push({ kind: 'event', event });
    this.#recorded.add(event.id);
    list.push(...(this.#noticesFor.get(event.id) ?? []));
    this.#noticesFor.delete(event.id);
  }

  entries(customerId: string): readonly JournalEntry[] {
    return this.#entries.get(customerId) ?? [];
  }

  events(customerId: string): readonly KycEvent[] {
    return this.entries(customerId).flatMap((entry) => (entry.kind === 'event' ? [entry.event] : []));
  }

  #list(customerId: string): JournalEntry[] {
    let list = this.#entries.get(customerId);
    if (list === undefined) {
      list = [];
      this.#entries.set(customerId, list);
    }
    return list;
  }
}
