/**
 * CPU per GET of the HTTP toolkit against raw `undici.request` on a loopback
 * server in this process (server CPU counted on both sides alike): a quick
 * loop for tuning the toolkit's per-request cost. `npx tsx bench/lib/http-micro.ts [n]`
 */
import { createServer } from 'node:http';
import { createHttpClient } from '@openkyc/core/http';
import { Agent, request } from 'undici';
import { z } from 'zod';

const n = Number(process.argv[2] ?? 20_000);
const body = JSON.stringify({ id: 'ckcust_1', status: 'pending', reference: 'ref-1', created_at: '2026-11-22T10:00:00Z', checks: [] });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
if (address === null || typeof address === 'string') throw new Error('no port');
const origin = `http://127.0.0.1:${address.port}`;
const schema = z.object({ id: z.string(), status: z.string() }).passthrough();
const agentOptions = { connections: 16, pipelining: 1, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 };

async function measure(label: string, call: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) await call(next++);
    }),
  );
  const used = process.cpuUsage(cpu);
  const us = (used.user + used.system) / n;
  console.log(`${label}: ${us.toFixed(1)} µs CPU per GET, ${Math.round(n / ((performance.now() - started) / 1000))}/s`);
  return us;
}

const raw = new Agent(agentOptions);
const http = createHttpClient({ provider: 'micro', baseUrl: origin, mapError: () => ({}), headers: { authorization: 'Bearer t' } });
const rawCall = async (i: number): Promise<void> => {
  const response = await request(`${origin}/v1/customers/c${i}`, { dispatcher: raw, headers: { authorization: 'Bearer t' } });
  schema.parse(await response.body.json());
};
const kitCall = async (i: number): Promise<void> => {
  const response = await http.request({ method: 'GET', path: `/v1/customers/c${i}` });
  response.json(schema);
};
for (let round = 0; round < 3; round++) {
  const a = await measure('raw   ', rawCall);
  const b = await measure('toolkit', kitCall);
  console.log(`  toolkit − raw: ${(b - a).toFixed(1)} µs`);
}
await raw.close();
await http.close();
server.close();
