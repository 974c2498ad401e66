import { describe, expect, it } from 'vitest';
import { ACCEPTED_USER_ASSIGNED_COUNTRY_CODES, ISO_3166_1_ALPHA_2, isCountryCode } from '../../src/values/countries.js';

describe('countries', () => {
  it('lists the 249 officially assigned ISO 3166-1 alpha-2 codes, once each, sorted', () => {
    expect(ISO_3166_1_ALPHA_2).toHaveLength(249);
    expect(new Set(ISO_3166_1_ALPHA_2).size).toBe(249);
    expect([...ISO_3166_1_ALPHA_2].sort()).toEqual([...ISO_3166_1_ALPHA_2]);
    for (const code of ISO_3166_1_ALPHA_2) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it('has a region name for every code (cross-check against ICU)', () => {
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const code of ISO_3166_1_ALPHA_2) expect(names.of(code)).not.toBe(code);
  });

  it.each(['US', 'GB', 'DE', 'FR', 'JP', 'BR', 'SS', 'CW', 'SX', 'BQ', 'AX', 'AQ', 'UM', 'PS', 'TW'])('accepts %s', (code) => {
    expect(isCountryCode(code)).toBe(true);
  });

  it('accepts XK (Kosovo, user-assigned) by decision, outside the official list', () => {
    expect(ACCEPTED_USER_ASSIGNED_COUNTRY_CODES).toContain('XK');
    expect(ISO_3166_1_ALPHA_2).not.toContain('XK');
    expect(isCountryCode('XK')).toBe(true);
  });

  it.each([
    'UK', // exceptionally reserved; the code is GB
    'EU', // exceptionally reserved
    'ZZ', // user-assigned
    'AA',
    'QZ',
    'XA',
    'UN',
    'AN', // withdrawn (Netherlands Antilles)
    'YU', // withdrawn (Yugoslavia)
    'CS',
    'us', // lower case
    'Us',
    'USA', // alpha-3
    'U',
    '',
    ' US',
  ])('refuses %j', (code) => {
    expect(isCountryCode(code)).toBe(false);
  });

  it('refuses non-strings and inherited property names', () => {
    for (const value of [undefined, null, 840, {}, ['US'], 'constructor', '__proto__']) expect(isCountryCode(value)).toBe(false);
  });
});
