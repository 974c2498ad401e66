import type { Consumer, Kyc, KycEvent } from '@openkyc/core';
import type { Style } from './print-timeline.js';

/** The consumer's name: its checkpoint lives in the store, so the next run resumes after it. */
export const DEMO_CONSUMER = 'demo-crm';

/**
 * What an integrator's CRM sync looks like: a durable consumer (`kyc.consume`) whose handler is idempotent
 * on `event.id`. The demo keeps what it received to print it and to check it against what the in-process
 * subscribers saw.
 */
export class DemoConsumer {
  readonly #received: KycEvent[] = [];
  readonly #seen = new Set<string>();
  readonly #consumer: Consumer;

  constructor(kyc: Kyc) {
    this.#consumer = kyc.consume(
      DEMO_CONSUMER,
      (event) => {
        // Idempotent: at-least-once delivery may hand over an event twice (after a crash); keep it once.
        if (this.#seen.has(event.id)) return;
        this.#seen.add(event.id);
        this.#received.push(event);
      },
      { pollIntervalMs: 100 },
    );
  }

  /** Waits until every event in `expected` arrived (or `timeoutMs` passed); answers whether they did. */
  async caughtUp(expected: readonly KycEvent[], timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!expected.every((event) => this.#seen.has(event.id))) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  /** The section the demo prints: each customer's events as the consumer got them, and the check. */
  report(customers: readonly { readonly id: string; readonly expected: readonly KycEvent[] }[], style: Style): { ok: boolean; lines: string[] } {
    const lines = [style.bold(`Durable consumer '${DEMO_CONSUMER}'`) + style.dim(' (kyc.consume: checkpoint in the store, at-least-once, in order per customer)')];
    let ok = true;
    let count = 0;
    for (const customer of customers) {
      const got = this.#received.filter((event) => event.customerId === customer.id);
      const expectedIds = new Set(customer.expected.map((event) => event.id));
      const relevant = got.filter((event) => expectedIds.has(event.id));
      const inOrder = relevant.map((event) => event.id).join(',') === customer.expected.map((event) => event.id).join(',');
      ok &&= inOrder;
      count += relevant.length;
      const reference = got[0]?.reference ?? customer.expected[0]?.reference ?? customer.id;
      const path = relevant.map((event) => event.type.replace('customer.', '')).join(' → ');
      lines.push(`  ${inOrder ? '' : style.red('✗ ')}${reference.padEnd(44)} ${path}`);
    }
    lines.push(
      ok
        ? style.green(`  ✓ ${count} events through the durable consumer, every committed one, each customer's in order`)
        : style.red('  ✗ the durable consumer missed events or got them out of order'),
    );
    return { ok, lines };
  }

  stop(): Promise<void> {
    return this.#consumer.stop();
  }
}
