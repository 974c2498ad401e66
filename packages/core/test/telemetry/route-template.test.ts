import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeTemplate } from '../../src/telemetry/route-template.js';

describe('routeTemplate (url.template and span names)', () => {
  it('keeps route words and replaces ids, references and values with {id}', () => {
    expect(routeTemplate('/v1/customers')).toBe('/v1/customers');
    expect(routeTemplate('/v1/customers/ckcust_1/files/attach')).toBe('/v1/customers/{id}/files/attach');
    expect(routeTemplate('/uploads/file_9f2c')).toBe('/uploads/{id}');
    expect(routeTemplate('/api/v2/clients/123456/identifiers')).toBe('/api/v2/clients/{id}/identifiers');
    expect(routeTemplate('/customers/3f2b8c1e-4d5a-4b6c-9e7f-0a1b2c3d4e5f')).toBe('/customers/{id}');
    expect(routeTemplate('/customers/jane%40example.com')).toBe('/customers/{id}');
    expect(routeTemplate('/customers/jane@example.com/kycData')).toBe('/customers/{id}/kycData');
    expect(routeTemplate('/')).toBe('/');
    expect(routeTemplate('')).toBe('/');
    // Words are at most 32 letters and dashes, plus one trailing digit.
    expect(routeTemplate(`/${'a'.repeat(32)}1/${'b'.repeat(33)}/c2/-d/e-`)).toBe(`/${'a'.repeat(32)}1/{id}/c2/{id}/e-`);
  });

  it('never lets a segment with digits past the first word character pair through (national ids, document numbers, dates)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._@%-]{1,30}$/).filter((value) => /\d.*\d|[._@%]/.test(value)), (value) => {
        expect(routeTemplate(`/v1/customers/${value}`)).toBe('/v1/customers/{id}');
      }),
    );
  });

  it('templates every path exactly as the documented rule (split on /, a segment is a word when it matches /^[A-Za-z][A-Za-z-]{0,31}[0-9]?$/)', () => {
    const byRule = (pathname: string): string => {
      const kept = pathname
        .split('/')
        .filter((segment) => segment !== '')
        .map((segment) => (/^[A-Za-z][A-Za-z-]{0,31}[0-9]?$/.test(segment) ? `/${segment}` : '/{id}'));
      return kept.length === 0 ? '/' : kept.join('');
    };
    const segment = fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z-]{0,34}[0-9]{0,2}$/), fc.string({ maxLength: 12 }), fc.constant(''));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), fc.boolean(), (segments, leadingSlash) => {
        const pathname = `${leadingSlash ? '/' : ''}${segments.join('/')}`;
        expect(routeTemplate(pathname)).toBe(byRule(pathname));
      }),
      { numRuns: 2000 },
    );
  });
});
