import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { clientsCommand } from '@openkyc/adapter-clients-command';
import { patchStyle } from '@openkyc/adapter-patch-style';
import { technest } from '@openkyc/adapter-technest';
import { CUSTOMER_STATUSES, DEFAULT_RECONCILE_SCHEDULE, lifecyclePath, type CustomerStatus, type KycProvider } from '@openkyc/core';
import { describe, expect, it } from 'vitest';

// The documentation quotes code; these tests keep the quotes and the code the same.
const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(`${root}${path}`, 'utf8');

/** The fenced code blocks of a Markdown file, with the line just above each (for markers). */
function codeBlocks(markdown: string): { lang: string; code: string; marker: string | undefined }[] {
  const blocks: { lang: string; code: string; marker: string | undefined }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith('```'));
    if (end === -1) throw new Error(`unclosed code block at line ${i + 1}`);
    const marker = /^<!-- excerpt: (.+) -->$/.exec(lines[i - 1] ?? '')?.[1];
    blocks.push({ lang: open[1]!, code: lines.slice(i + 1, end).join('\n'), marker });
    i = end;
  }
  return blocks;
}

/** The lines between `// #region <name>` and `// #endregion <name>`, common indentation removed. */
function region(path: string, name: string): string {
  const lines = read(path).split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${name}`);
  const end = lines.findIndex((line) => line.trim() === `// #endregion ${name}`);
  if (start === -1 || end <= start) throw new Error(`no region '${name}' in ${path}`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length));
  return body.map((line) => line.slice(indent)).join('\n');
}

describe('README.md', () => {
  const readme = read('README.md');

  it('quick start is examples/quick-start.ts, character for character (that file is type-checked)', () => {
    const quickStart = readme.split('## Quick start')[1];
    expect(quickStart, 'README has a "## Quick start" section').toBeDefined();
    const [first] = codeBlocks(quickStart!);
    expect(first?.code).toBe(read('examples/quick-start.ts').trimEnd());
  });

  it('draws exactly the edges of the lifecycle machine', () => {
    const diagram = readme.split('## The lifecycle')[1]!.split('```')[1]!;
    const statuses = (list: string): CustomerStatus[] =>
      list === 'every status except deactivated'
        ? CUSTOMER_STATUSES.filter((status) => status !== 'deactivated')
        : (list.split(', ') as CustomerStatus[]);
    const drawn = new Set<string>(['created>pending', 'pending>verified', 'verified>active', 'needs_info>pending', 'rejected>pending']);
    for (const match of diagram.matchAll(/^([a-z_, ]+?) ─+▶ (needs_info|rejected|deactivated)\b/gm)) {
      for (const from of statuses(match[1]!)) drawn.add(`${from}>${match[2]}`);
    }
    const machine = new Set<string>();
    for (const from of CUSTOMER_STATUSES) {
      for (const to of CUSTOMER_STATUSES) if (from !== to && lifecyclePath(from, to)?.length === 1) machine.add(`${from}>${to}`);
    }
    expect([...drawn].sort()).toEqual([...machine].sort());
  });

  it('names only npm scripts that exist', () => {
    const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);
    const named = [...readme.matchAll(/`(?:[A-Z_]+=\S+ )?npm run (\w+)/g)].map((match) => match[1]!);
    expect(named.length).toBeGreaterThan(0);
    for (const script of named) expect(scripts, `npm run ${script}`).toContain(script);
  });
});

describe('docs/adapter-authoring.md', () => {
  const blocks = codeBlocks(read('docs/adapter-authoring.md')).filter((block) => block.marker !== undefined);

  it('quotes the example adapter, simulator, driver and test', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  for (const block of blocks) {
    it(`excerpt ${block.marker} matches its file`, () => {
      const [path, name] = block.marker!.split('#');
      expect(block.code).toBe(region(path!, name!));
    });
  }
});

describe('docs/operations.md', () => {
  const operations = read('docs/operations.md');
  const hours = (ms: number) => ms / 3_600_000;

  it('states the default reconcile schedule', () => {
    for (const [status, interval] of Object.entries(DEFAULT_RECONCILE_SCHEDULE)) {
      const row = operations.split('\n').find((line) => line.startsWith(`| \`${status}\` |`));
      expect(row, `a row for ${status}`).toBeDefined();
      const expected = interval === undefined ? 'never' : interval < 3_600_000 ? `${interval / 60_000} min` : `${hours(interval)} h`;
      expect(row).toContain(`| ${expected} |`);
    }
  });

  it("states each adapter's review-time capabilities", async () => {
    const adapters: KycProvider[] = [
      technest({ baseUrl: 'https://technest.invalid', clientId: 'id', clientSecret: 'secret', webhookSecret: 'secret' }),
      patchStyle({
        baseUrl: 'https://patch-style.invalid',
        apiKey: 'key',
        webhookSecret: 'whsec_c2VjcmV0',
        hostDocument: async () => 'https://documents.invalid/1',
      }),
      clientsCommand({ baseUrl: 'https://bank.invalid', username: 'u', password: 'p', tenantId: 't' }),
    ];
    try {
      for (const adapter of adapters) {
        const { reviewTime, activation, retryAfterRejection, webhooks } = adapter.capabilities;
        const row = operations.split('\n').find((line) => line.startsWith(`| ${adapter.id} |`));
        expect(row, `a row for ${adapter.id}`).toBeDefined();
        expect(row).toContain(`synchronous: ${reviewTime.synchronous}`);
        expect(row).toContain(`typicalMs: ${reviewTime.typicalMs}`);
        expect(row).toContain(`escalateAfterMs: ${reviewTime.escalateAfterMs}`);
        for (const escalation of reviewTime.escalations ?? []) {
          expect(row).toContain(`${escalation.level}: ${escalation.afterMs} ${escalation.action}`);
        }
        expect(row).toContain(`webhooks: ${webhooks}`);
        expect(row).toContain(`activation: '${activation}'`);
        expect(row).toContain(`retryAfterRejection: '${retryAfterRejection}'`);
      }
    } finally {
      await Promise.all(adapters.map((adapter) => adapter.close?.()));
    }
  });
});
