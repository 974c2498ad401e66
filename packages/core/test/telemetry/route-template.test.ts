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
  });

  it('never lets a segment with digits past the first word character pair through (national ids, document numbers, dates)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._@%-]{1,30}$/).filter((value) => /\d.*\d|[._@%]/.test(value)), (value) => {
        expect(routeTemplate(`/v1/customers/${value}`)).toBe('/v1/customers/{id}');
      }),
    );
  });
});
