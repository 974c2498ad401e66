import { describe, expect, it } from 'vitest';
import { lazySchema, loadZod } from '../../src/values/lazy-schema.js';

describe('lazySchema', () => {
  it('builds nothing until first called, then once, and hands out the same schema', () => {
    let builds = 0;
    const nameSchema = lazySchema((z) => {
      builds += 1;
      return z.object({ name: z.string().min(1) });
    });
    expect(builds).toBe(0);
    const first = nameSchema();
    expect(nameSchema()).toBe(first);
    expect(builds).toBe(1);
    expect(first.safeParse({ name: 'Ada' }).success).toBe(true);
    expect(first.safeParse({ name: '' }).success).toBe(false);
  });

  it('tries again after a builder that threw', () => {
    let calls = 0;
    const flaky = lazySchema((z) => {
      calls += 1;
      if (calls === 1) throw new Error('first build fails');
      return z.string();
    });
    expect(() => flaky()).toThrow('first build fails');
    expect(flaky().parse('ok')).toBe('ok');
  });

  it('loads one zod and keeps it', () => {
    expect(loadZod()).toBe(loadZod());
    expect(typeof loadZod().object).toBe('function');
  });
});
