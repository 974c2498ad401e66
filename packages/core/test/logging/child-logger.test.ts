import { describe, expect, it } from 'vitest';
import type { KycLogger } from '../../src/logging/logger.js';
import { silentLogger } from '../../src/logging/logger.js';
import { redactingLogger } from '../../src/logging/redact.js';

const DOB = '1987-03-14';
const TOKEN = 'tn_at_CANARY7731';

interface Line {
  readonly level: string;
  readonly obj: Record<string, unknown>;
  readonly msg?: string | undefined;
}

/** A pino-style logger: `child` returns a logger whose lines carry the bindings. */
function pinoLike(lines: Line[], bindings: Record<string, unknown> = {}): KycLogger {
  const at =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, obj: { ...bindings, ...obj }, msg });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => pinoLike(lines, { ...bindings, ...more }),
  };
}

describe('redactingLogger child()', () => {
  it("uses the logger's own child and redacts the bindings as well as every line", () => {
    const lines: Line[] = [];
    const child = redactingLogger(pinoLike(lines)).child!({ requestId: 'req-1', dateOfBirth: DOB, accessToken: TOKEN });
    child.info({ customerId: 'cus_1', birthDate: DOB }, 'customer created');
    child.child!({ provider: 'technest' }).warn({ token: TOKEN }, 'nested');

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', obj: { requestId: 'req-1', customerId: 'cus_1' }, msg: 'customer created' });
    expect(lines[1]).toMatchObject({ level: 'warn', obj: { requestId: 'req-1', provider: 'technest' } });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(DOB);
    expect(text).not.toContain(TOKEN);
  });

  it('merges bindings into each line for a logger without child()', () => {
    const lines: Line[] = [];
    const plain: KycLogger = { ...pinoLike(lines), child: undefined };
    redactingLogger(plain).child!({ requestId: 'req-2', token: TOKEN }).error({ code: 'x' }, 'failed');
    expect(lines).toEqual([{ level: 'error', obj: { requestId: 'req-2', token: '[redacted]', code: 'x' }, msg: 'failed' }]);
  });

  it('stays silent by default: the silent logger and its children write nothing', () => {
    const silent = redactingLogger(silentLogger);
    expect(silent.child!({ a: 1 })).toBe(silent);
  });
});
