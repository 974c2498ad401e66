import {
  createClientsCommandSimulator,
  createDocumentHost,
  createPatchStyleSimulator,
  createSimulatorClock,
  createTechnestSimulator,
  type ClientsCommandSimulator,
  type DocumentHost,
  type PatchStyleSimulator,
  type SimulatorClock,
  type TechnestSimulator,
} from '@openkyc/testkit';
import type { ProviderId } from './demo-config.js';

/**
 * The providers the demo talks to: the testkit's simulators, real HTTP servers
 * on 127.0.0.1 with ephemeral ports. Only the selected providers are started.
 *
 * Time: patch-style and clients-command share one simulated clock, which is
 * also openkyc's clock (`now`), so signatures and provider timestamps agree.
 * The Technest simulator cannot take a shared clock (only `clockStart`), so it
 * starts at the same instant and `advance` moves both together.
 */
export interface DemoSimulators {
  readonly technest?: TechnestSimulator;
  readonly patchStyle?: { readonly sim: PatchStyleSimulator; readonly documentHost: DocumentHost };
  readonly clientsCommand?: ClientsCommandSimulator;
  /** The simulated time every party agrees on. */
  now(): Date;
  /** Moves simulated time forward; resolves after the reviews that became due and their webhooks. */
  advance(ms: number): Promise<void>;
  /** Points every webhook-sending simulator at `targetFor(providerId)`. */
  setWebhookTargets(targetFor: (providerId: ProviderId) => string): void;
  /** Resolves once every webhook started so far was answered. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startDemoSimulators(selected: readonly ProviderId[]): Promise<DemoSimulators> {
  const clock: SimulatorClock = createSimulatorClock();
  const closers: (() => Promise<void>)[] = [];
  let technest: TechnestSimulator | undefined;
  let patchStyle: { sim: PatchStyleSimulator; documentHost: DocumentHost } | undefined;
  let clientsCommand: ClientsCommandSimulator | undefined;

  try {
    if (selected.includes('technest')) {
      // Reviews never finish on their own: each scenario decides them with setOutcome.
      const sim = await createTechnestSimulator({ clockStart: clock.now(), reviewDelayMs: Number.POSITIVE_INFINITY });
      closers.push(() => sim.close());
      technest = sim;
    }
    if (selected.includes('patch-style')) {
      const sim = await createPatchStyleSimulator({ clock, reviewDelayMs: Number.POSITIVE_INFINITY });
      closers.push(() => sim.close());
      // The platform's document storage: patch-style fetches document images by URL during review.
      const documentHost = await createDocumentHost({ now: () => clock.now() });
      closers.push(() => documentHost.close());
      patchStyle = { sim, documentHost };
    }
    if (selected.includes('clients-command')) {
      const sim = await createClientsCommandSimulator({ clock });
      closers.push(() => sim.close());
      clientsCommand = sim;
    }
  } catch (error) {
    await closeAll(closers);
    throw error;
  }

  return {
    ...(technest === undefined ? {} : { technest }),
    ...(patchStyle === undefined ? {} : { patchStyle }),
    ...(clientsCommand === undefined ? {} : { clientsCommand }),
    now: () => clock.now(),
    async advance(ms) {
      await clock.advance(ms);
      await technest?.clock.advance(ms);
      await patchStyle?.sim.settled();
    },
    setWebhookTargets(targetFor) {
      technest?.setWebhookTarget(targetFor('technest'));
      patchStyle?.sim.setWebhookTarget(targetFor('patch-style'));
    },
    async settled() {
      await technest?.webhooks.settled();
      await patchStyle?.sim.settled();
    },
    close: () => closeAll(closers),
  };
}

async function closeAll(closers: readonly (() => Promise<void>)[]): Promise<void> {
  // Newest first; one failing close must not leave the others open.
  const results = await Promise.allSettled([...closers].reverse().map((close) => close()));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
