/**
 * ISO 3166-1 alpha-2 country codes.
 *
 * `ISO_3166_1_ALPHA_2` holds the 249 officially assigned codes (ISO 3166
 * Maintenance Agency, unchanged since SS South Sudan, 2011). Reserved and
 * indeterminately reserved codes (UK, EU, EZ, UN, AC, TA, …) and the user-assigned
 * ranges (AA, QM–QZ, XA–XZ, ZZ) are not in it.
 *
 * Decision on XK (Kosovo): XK is user-assigned, not an official code, but it is
 * the code the European Commission, SWIFT, passport issuers' MRZ tooling and most
 * KYC providers use for Kosovo. Refusing it would refuse every Kosovar passport
 * holder and resident, so it is accepted (`ACCEPTED_USER_ASSIGNED_COUNTRY_CODES`).
 * An adapter whose provider refuses XK says so in its own `validate`.
 */
export const ISO_3166_1_ALPHA_2 = [
  'AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ',
  'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ',
  'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ',
  'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ',
  'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET',
  'FI', 'FJ', 'FK', 'FM', 'FO', 'FR',
  'GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY',
  'HK', 'HM', 'HN', 'HR', 'HT', 'HU',
  'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT',
  'JE', 'JM', 'JO', 'JP',
  'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ',
  'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY',
  'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ',
  'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ',
  'OM',
  'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY',
  'QA',
  'RE', 'RO', 'RS', 'RU', 'RW',
  'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SX', 'SY', 'SZ',
  'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ',
  'UA', 'UG', 'UM', 'US', 'UY', 'UZ',
  'VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU',
  'WF', 'WS',
  'YE', 'YT',
  'ZA', 'ZM', 'ZW',
] as const;

export type Iso3166Alpha2 = (typeof ISO_3166_1_ALPHA_2)[number];

/** User-assigned codes accepted on top of the official list (see the file comment). */
export const ACCEPTED_USER_ASSIGNED_COUNTRY_CODES = ['XK'] as const;

export type CountryCode = Iso3166Alpha2 | (typeof ACCEPTED_USER_ASSIGNED_COUNTRY_CODES)[number];

const COUNTRY_CODES: ReadonlySet<string> = new Set<string>([
  ...ISO_3166_1_ALPHA_2,
  ...ACCEPTED_USER_ASSIGNED_COUNTRY_CODES,
]);

/** True for an officially assigned ISO 3166-1 alpha-2 code (upper case) or XK. */
export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === 'string' && COUNTRY_CODES.has(value);
}
