import type { Application, Customer, CustomerStatus, Kyc, KycEventType } from '@openkyc/core';
import { clientsCommandApplication, patchStyleApplication, technestApplication } from '@openkyc/testkit';
import type { ProviderId } from './demo-config.js';
import type { DemoJournal } from './demo-journal.js';
import type { DemoSimulators } from './demo-simulators.js';

export type ScenarioKey = 'happy' | 'needs-info' | 'rejection';

export const SCENARIO_TITLES: Readonly<Record<ScenarioKey, string>> = {
  happy: 'happy path',
  'needs-info': 'needs info → resubmit',
  rejection: 'rejected → retry',
};

export interface ScenarioContext {
  readonly kyc: Kyc;
  readonly sims: DemoSimulators;
  readonly journal: DemoJournal;
  /** The configured default provider: customers elsewhere name their provider at creation. */
  readonly defaultProvider: ProviderId;
  /** Told the scenario's customer id as soon as it exists (so a scenario failing half-way still shows its timeline). */
  onCustomer(customerId: string): void;
}

export interface Scenario {
  readonly provider: ProviderId;
  readonly key: ScenarioKey;
  /** The status the customer must end in. */
  readonly expectedStatus: CustomerStatus;
  /** Every event the customer must emit, in order, each exactly once. */
  readonly expectedEvents: readonly KycEventType[];
  /** Runs the onboarding through the public API (its customer is announced with `ctx.onCustomer`). */
  run(ctx: ScenarioContext): Promise<void>;
  /** Scenario-specific checks on the final customer; each string is a failure. */
  check?(customer: Customer): string[];
}

/** A scenario a provider cannot have, with the reason (shown in the summary). */
export interface NotApplicable {
  readonly provider: ProviderId;
  readonly key: ScenarioKey;
  readonly reason: string;
}

const MINUTE = 60_000;

const E = {
  created: 'customer.created',
  submitted: 'customer.submitted',
  needsInfo: 'customer.needs_info',
  verified: 'customer.verified',
  activated: 'customer.activated',
  rejected: 'customer.rejected',
} as const satisfies Record<string, KycEventType>;

// ---------------------------------------------------------------------------
// Technest: asynchronous review, verdict by signed webhook, no activation step,
// no needs-info state; a retry after rejection is a new Technest customer.

const technestScenarios: readonly Scenario[] = [
  {
    provider: 'technest',
    key: 'happy',
    expectedStatus: 'verified',
    expectedEvents: [E.created, E.submitted, E.verified],
    async run(ctx) {
      const sim = required(ctx.sims.technest);
      const customer = await createDemoCustomer(ctx, 'technest', 'happy');
      await submit(ctx, customer.id, technestApplication(), 'submit(application): documents uploaded, review requested');
      const current = await ctx.kyc.getCustomer(customer.id);
      sim.setOutcome(current.providerCustomerId, { status: 'verified', afterMs: 3 * MINUTE });
      await wait(ctx, customer.id, 3 * MINUTE, 'Technest reviews for 3 minutes, approves, and sends a signed webhook');
      // Providers deliver at least once: the same webhook again must change nothing.
      const delivery = sim.webhooks.deliveries().at(-1);
      if (delivery !== undefined) {
        say(ctx, customer.id, 'Technest delivers the same webhook again (a duplicate: no new event)');
        await sim.webhooks.deliverAgain(delivery.id);
      }
    },
  },
  {
    provider: 'technest',
    key: 'rejection',
    expectedStatus: 'verified',
    expectedEvents: [E.created, E.submitted, E.rejected, E.submitted, E.verified],
    async run(ctx) {
      const sim = required(ctx.sims.technest);
      const customer = await createDemoCustomer(ctx, 'technest', 'rejection');
      await submit(ctx, customer.id, technestApplication(), 'submit(application)');
      const first = await ctx.kyc.getCustomer(customer.id);
      sim.setOutcome(first.providerCustomerId, { status: 'rejected', reason: 'ID document unreadable', afterMs: 4 * MINUTE });
      await wait(ctx, customer.id, 4 * MINUTE, 'Technest rejects the review (webhook)');
      await idle(ctx, customer.id, 15 * MINUTE, 'the customer takes a clearer photo of the passport');
      await submit(ctx, customer.id, technestApplication(), 'submit(application) again: openkyc opens a new Technest record (-r2)');
      const second = await ctx.kyc.getCustomer(customer.id);
      sim.setOutcome(second.providerCustomerId, { status: 'verified', afterMs: 3 * MINUTE });
      await wait(ctx, customer.id, 3 * MINUTE, 'Technest approves the new record (webhook)');
    },
    check(customer) {
      const problems: string[] = [];
      if (customer.attempts.length !== 2) problems.push(`expected 2 Technest records, found ${customer.attempts.length}`);
      if (!customer.providerReference.endsWith('-r2')) problems.push('the retry record should carry the "-r2" reference');
      if (customer.attempts[0]?.status !== 'rejected') problems.push('the first record should stay rejected (audit)');
      return problems;
    },
  },
];

const technestNotApplicable: NotApplicable = {
  provider: 'technest',
  key: 'needs-info',
  reason: 'Technest has no needs-info state (a bad document ends in rejected)',
};

// ---------------------------------------------------------------------------
// patch-style: PATCH kycData with hosted document URLs, review by webhook,
// ACTIVE straight from review (verified + activated), RFI, resubmit same record.

const patchStyleScenarios: readonly Scenario[] = [
  {
    provider: 'patch-style',
    key: 'happy',
    expectedStatus: 'active',
    expectedEvents: [E.created, E.submitted, E.verified, E.activated],
    async run(ctx) {
      const { sim } = required(ctx.sims.patchStyle);
      const customer = await createDemoCustomer(ctx, 'patch-style', 'happy');
      sim.setOutcome(customer.providerCustomerId, { status: 'ACTIVE', afterMs: 2 * MINUTE });
      await submit(ctx, customer.id, patchStyleApplication(), 'submit(application): documents hosted, kycData PATCHed, review starts');
      await wait(ctx, customer.id, 2 * MINUTE, 'patch-style fetches the documents, approves and activates (webhook)');
    },
  },
  {
    provider: 'patch-style',
    key: 'needs-info',
    expectedStatus: 'active',
    expectedEvents: [E.created, E.submitted, E.needsInfo, E.submitted, E.verified, E.activated],
    async run(ctx) {
      const { sim } = required(ctx.sims.patchStyle);
      const customer = await createDemoCustomer(ctx, 'patch-style', 'needs-info');
      sim.setOutcome(customer.providerCustomerId, [
        { status: 'NEEDS_ADDITIONAL_INFORMATION', requiredDocuments: ['PROOF_OF_ADDRESS'], afterMs: 2 * MINUTE },
        { status: 'ACTIVE', afterMs: 2 * MINUTE },
      ]);
      const full = patchStyleApplication();
      const withoutProofOfAddress: Application = {
        ...full,
        documents: full.documents.filter((document) => document.type !== 'proof_of_address'),
      };
      await submit(ctx, customer.id, withoutProofOfAddress, 'submit(application) with a passport only');
      await wait(ctx, customer.id, 2 * MINUTE, 'patch-style asks for more information (webhook)');
      await idle(ctx, customer.id, 30 * MINUTE, 'the customer finds a utility bill');
      await submit(ctx, customer.id, full, 'submit(application) again, now with the proof of address');
      await wait(ctx, customer.id, 2 * MINUTE, 'patch-style approves and activates (webhook)');
    },
  },
  {
    provider: 'patch-style',
    key: 'rejection',
    expectedStatus: 'active',
    expectedEvents: [E.created, E.submitted, E.rejected, E.submitted, E.verified, E.activated],
    async run(ctx) {
      const { sim } = required(ctx.sims.patchStyle);
      const customer = await createDemoCustomer(ctx, 'patch-style', 'rejection');
      sim.setOutcome(customer.providerCustomerId, [
        { status: 'REJECTED', rejectionReason: 'DOCUMENT_EXPIRED', afterMs: 2 * MINUTE },
        { status: 'ACTIVE', afterMs: 2 * MINUTE },
      ]);
      await submit(ctx, customer.id, patchStyleApplication(), 'submit(application)');
      await wait(ctx, customer.id, 2 * MINUTE, 'patch-style rejects the review (webhook)');
      await idle(ctx, customer.id, 20 * MINUTE, 'the customer photographs a newer passport');
      await submit(ctx, customer.id, renewedPassport(patchStyleApplication()), 'submit(application) again on the same patch-style record');
      await wait(ctx, customer.id, 2 * MINUTE, 'patch-style approves and activates (webhook)');
    },
    check(customer) {
      return customer.attempts.length === 1 ? [] : [`patch-style retries on the same record; found ${customer.attempts.length} records`];
    },
  },
];

// ---------------------------------------------------------------------------
// clients-command: synchronous verify (verified or needs_info inside submit),
// explicit activation, no webhooks: back-office changes are found by reconcile.

const clientsCommandScenarios: readonly Scenario[] = [
  {
    provider: 'clients-command',
    key: 'happy',
    expectedStatus: 'active',
    expectedEvents: [E.created, E.submitted, E.verified, E.activated],
    async run(ctx) {
      const customer = await createDemoCustomer(ctx, 'clients-command', 'happy');
      await submit(ctx, customer.id, clientsCommandApplication(), 'submit(application): details, address, identifiers, verify');
      await activate(ctx, customer.id);
    },
  },
  {
    provider: 'clients-command',
    key: 'needs-info',
    expectedStatus: 'active',
    expectedEvents: [E.created, E.needsInfo, E.submitted, E.verified, E.activated],
    async run(ctx) {
      const customer = await createDemoCustomer(ctx, 'clients-command', 'needs-info');
      const { contactVerified: _notYet, ...unconfirmed } = clientsCommandApplication();
      await submit(ctx, customer.id, unconfirmed, 'submit(application) before the e-mail and phone were confirmed');
      await idle(ctx, customer.id, 5 * MINUTE, 'the platform runs its one-time-code checks on e-mail and phone');
      await submit(ctx, customer.id, clientsCommandApplication(), 'submit(application) again with contactVerified');
      await activate(ctx, customer.id);
    },
  },
  {
    provider: 'clients-command',
    key: 'rejection',
    expectedStatus: 'active',
    expectedEvents: [E.created, E.submitted, E.verified, E.rejected, E.submitted, E.verified, E.activated],
    async run(ctx) {
      const sim = required(ctx.sims.clientsCommand);
      const customer = await createDemoCustomer(ctx, 'clients-command', 'rejection');
      await submit(ctx, customer.id, clientsCommandApplication(), 'submit(application)');
      const verified = await ctx.kyc.getCustomer(customer.id);
      sim.reject(Number(verified.providerCustomerId), 'Passport photo unreadable');
      say(ctx, customer.id, 'the bank back office rejects the client (no webhook)');
      await ctx.sims.advance(61 * MINUTE);
      const result = await ctx.kyc.reconcile();
      say(ctx, customer.id, `reconcile() an hour later: checked ${result.checked}, changed ${result.changed}, failed ${result.failed.length}`);
      if (result.failed.length > 0) throw new Error(`reconcile failed for ${result.failed.length} customer(s): ${result.failed[0]?.code}`);
      await idle(ctx, customer.id, 10 * MINUTE, 'the customer takes a clearer photo of the passport');
      await submit(ctx, customer.id, clientsCommandApplication(), 'submit(application) again: openkyc undoes the rejection, then verifies');
      await activate(ctx, customer.id);
    },
    check(customer) {
      return customer.attempts.length === 1 ? [] : [`clients-command reopens the same client; found ${customer.attempts.length} records`];
    },
  },
];

/** Every scenario of the selected providers, in the order they run. */
export function scenariosFor(selected: readonly ProviderId[]): { scenarios: Scenario[]; notApplicable: NotApplicable[] } {
  const all: readonly Scenario[] = [...technestScenarios, ...patchStyleScenarios, ...clientsCommandScenarios];
  return {
    scenarios: all.filter((scenario) => selected.includes(scenario.provider)),
    notApplicable: [technestNotApplicable].filter((entry) => selected.includes(entry.provider)),
  };
}

// --- steps (public API only) -------------------------------------------------

let referenceCounter = 0;

async function createDemoCustomer(ctx: ScenarioContext, provider: ProviderId, key: ScenarioKey): Promise<Customer> {
  // The platform's own id for its user; never personal data.
  const reference = `demo-${provider}-${key}-${++referenceCounter}`;
  ctx.journal.stepBeforeCustomer(ctx.sims.now(), `createCustomer({ reference: '${reference}' })`);
  const customer = await ctx.kyc.createCustomer({
    reference,
    type: 'individual',
    email: 'jane@example.com',
    firstName: 'Jane',
    lastName: 'Smith',
    // Only customers that do not go to the configured default provider name theirs.
    ...(provider === ctx.defaultProvider ? {} : { provider }),
  });
  ctx.onCustomer(customer.id);
  return customer;
}

async function submit(ctx: ScenarioContext, customerId: string, application: Application, narration: string): Promise<void> {
  const check = ctx.kyc.validate(application, (await ctx.kyc.getCustomer(customerId)).provider);
  if (!check.valid) throw new Error(`application refused before any call: ${check.issues.map((issue) => issue.message).join('; ')}`);
  say(ctx, customerId, narration);
  await ctx.kyc.submit(customerId, application);
}

async function activate(ctx: ScenarioContext, customerId: string): Promise<void> {
  say(ctx, customerId, 'activate(): explicit activation at the provider');
  await ctx.kyc.activate(customerId);
}

/** Time passes while the provider works; its webhooks reach the demo's endpoint. */
async function wait(ctx: ScenarioContext, customerId: string, ms: number, narration: string): Promise<void> {
  say(ctx, customerId, narration);
  await ctx.sims.advance(ms);
  await ctx.sims.settled();
}

/** Time passes on the end-user's side. */
async function idle(ctx: ScenarioContext, customerId: string, ms: number, narration: string): Promise<void> {
  say(ctx, customerId, narration);
  await ctx.sims.advance(ms);
}

function say(ctx: ScenarioContext, customerId: string, text: string): void {
  ctx.journal.step(customerId, ctx.sims.now(), text);
}

function renewedPassport(application: Application): Application {
  return {
    ...application,
    documents: application.documents.map((document) =>
      document.type === 'passport' ? { ...document, number: '548210337', issuedOn: '2024-02-01', expiresOn: '2034-01-31' } : document,
    ),
  };
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('this provider simulator is not running');
  return value;
}
