import { createKyc, type Application } from '@openkyc/core';
import { technest } from '@openkyc/adapter-technest';

// One client. The provider is an adapter: swap it (or list several) without touching the code below.
export const kyc = createKyc({
  providers: [
    technest({
      baseUrl: 'https://api.technest.example',
      clientId: process.env.TECHNEST_CLIENT_ID!,
      clientSecret: process.env.TECHNEST_CLIENT_SECRET!,
      webhookSecret: process.env.TECHNEST_WEBHOOK_SECRET!,
    }),
  ],
});

// One event stream, whatever the provider: each lifecycle transition fires exactly once.
kyc.on('customer.verified', (event) => console.log(`${event.reference} verified at ${event.provider}`));
kyc.on('customer.needs_info', (event) => console.log(event.requirements.map((r) => r.message)));
kyc.on('customer.rejected', (event) => console.log(event.rejection.message, event.rejection.retryable));

export async function onboard(reference: string, application: Application) {
  const { email, firstName, lastName } = application.person;
  const customer = await kyc.createCustomer({ reference, type: 'individual', email, firstName, lastName });
  return kyc.submit(customer.id, application); // every issue is a ValidationError before any request
}

// POST /webhooks/technest: hand over the raw body exactly as received (signatures cover those bytes).
export const onWebhook = (headers: Headers, rawBody: Uint8Array) => kyc.handleWebhook('technest', { headers, body: rawBody });
