import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError, type ValidationIssue } from '../../src/errors.js';
import { APPLICATION_ISSUE_CODES } from '../../src/application/issues.js';
import { parseApplication, validateApplication } from '../../src/application/validate-application.js';
import type { ProviderCapabilities } from '../../src/provider/kyc-provider.js';
import {
  applicationWith,
  capabilities,
  context,
  file,
  fileBytes,
  pngBytes,
  summary,
  validApplication,
  type TestApplication,
} from './helpers.js';

function issuesOf(input: unknown, caps: ProviderCapabilities = capabilities(), ctx = context()): ValidationIssue[] {
  const result = validateApplication(input, caps, ctx);
  return result.success ? [] : result.issues;
}

function expectValid(input: unknown, caps: ProviderCapabilities = capabilities(), ctx = context()) {
  const result = validateApplication(input, caps, ctx);
  if (!result.success) expect.fail(`expected no issues, got ${JSON.stringify(summary(result.issues))}`);
  return result.application;
}

/** Exactly these `path:code` issues. */
function expectIssues(input: unknown, expected: string[], caps?: ProviderCapabilities, ctx?: ReturnType<typeof context>) {
  const issues = issuesOf(input, caps, ctx);
  expect(summary(issues).sort()).toEqual([...expected].sort());
  return issues;
}

const mutate = applicationWith;
const doc = (application: TestApplication, index = 0) => application.documents[index] as Record<string, unknown>;

describe('validateApplication: the valid baseline', () => {
  it('accepts a complete, valid application and returns the parsed value', () => {
    const application = expectValid(validApplication());
    expect(application.person.firstName).toBe('Jane');
    expect(application.documents[0]?.front.content).toBeInstanceOf(Uint8Array);
  });

  it('accepts a minimal application (no optional parts)', () => {
    const application = mutate((a) => {
      delete (a as Partial<TestApplication>).identifiers;
      delete (a as Partial<TestApplication>).profile;
      delete (a as Partial<TestApplication>).contactVerified;
      a.documents = [{ type: 'passport', front: file('image/png', 1000) }];
    });
    expectValid(application);
  });

  it('trims strings and drops unknown keys in the returned application', () => {
    const application = expectValid(mutate((a) => Object.assign(a.person, { firstName: '  Jane ', nickname: 'JJ' })));
    expect(application.person.firstName).toBe('Jane');
    expect(application.person).not.toHaveProperty('nickname');
  });

  it('uses only stable, documented codes', () => {
    const everything = issuesOf({
      person: { dateOfBirth: '2023-02-30', phone: '0', nationality: 'UK', email: 'x' },
      address: 3,
      documents: [{ type: 'national_id', front: { content: new Uint8Array(0), contentType: 'image/gif' } }],
    });
    expect(everything.length).toBeGreaterThan(5);
    for (const issue of everything) expect(APPLICATION_ISSUE_CODES).toContain(issue.code);
  });
});

describe('structure (zod schema → issues)', () => {
  it.each([null, undefined, 'application', 42, [], true])('refuses %j at the root without throwing', (input) => {
    const issues = issuesOf(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: [], code: input === undefined ? 'required' : 'invalid_type' });
  });

  it('reports missing fields as required, wrong types as invalid_type', () => {
    expectIssues(
      mutate((a) => {
        delete (a.person as Partial<typeof a.person>).firstName;
        (a.person as Record<string, unknown>).lastName = 42;
        (a.address as Record<string, unknown>).city = null;
      }),
      ['person.firstName:required', 'person.lastName:invalid_type', 'address.city:invalid_type'],
    );
  });

  it('reports enum values outside the list with the accepted values', () => {
    const [issue] = expectIssues(
      mutate((a) => {
        (a.profile as Record<string, unknown>).employmentStatus = 'CANARY-EMPLOYMENT';
      }),
      ['profile.employmentStatus:invalid_value'],
    );
    expect(issue?.message).toContain('employed, self_employed, unemployed, retired, student');
    expect(issue?.message).not.toContain('CANARY');
  });

  it('reports empty and too long strings, too many documents', () => {
    expectIssues(
      mutate((a) => {
        a.person.lastName = '   ';
        a.address.line1 = 'x'.repeat(201);
        a.documents = Array.from({ length: 11 }, (_, index) => ({
          type: index === 0 ? 'passport' : 'proof_of_address',
          front: file('image/jpeg', 100),
        }));
      }),
      ['person.lastName:too_short', 'address.line1:too_long', 'documents:too_many'].concat(
        // the 10 extra proof_of_address entries are duplicates of each other
        Array.from({ length: 9 }, (_, index) => `documents.${index + 2}.type:duplicate_document`),
      ),
    );
  });

  it('reports an invalid email', () => {
    expectIssues(mutate((a) => (a.person.email = 'not-an-email')), ['person.email:invalid_email']);
  });

  it('refuses file content that is not bytes (base64 string, plain array)', () => {
    expectIssues(
      mutate((a) => {
        doc(a).front = { content: 'ffd8ffe0', contentType: 'image/jpeg', filename: 'a.jpg' };
        a.documents.push({ type: 'selfie', front: { content: [0xff, 0xd8, 0xff], contentType: 'image/jpeg', filename: 'b.jpg' } });
      }),
      ['documents.0.front.content:invalid_type', 'documents.1.front.content:invalid_type'],
    );
  });

  it('accepts a Buffer as file content', () => {
    expectValid(mutate((a) => (doc(a).front = { content: Buffer.from(fileBytes('image/jpeg', 500)), contentType: 'image/jpeg', filename: 'a.jpg' })));
  });
});

describe('phone (E.164)', () => {
  it.each(['+14155551234', '+442071838750', '+33612345678'])('accepts %s', (phone) => {
    expectValid(mutate((a) => (a.person.phone = phone)));
  });

  it.each(['4155551234', '+1 415 555 1234', '+1-415-555-1234', '+04155551234', '+1234567890123456', '+1', ''])(
    'refuses %j',
    (phone) => {
      const [issue] = expectIssues(mutate((a) => (a.person.phone = phone)), ['person.phone:invalid_phone']);
      expect(issue?.message).toMatch(/E\.164/);
    },
  );
});

describe('calendar dates', () => {
  it.each([
    ['person.dateOfBirth', (a: TestApplication, v: string) => (a.person.dateOfBirth = v)],
    ['documents.0.expiresOn', (a: TestApplication, v: string) => (doc(a).expiresOn = v)],
    ['documents.0.issuedOn', (a: TestApplication, v: string) => (doc(a).issuedOn = v)],
  ] as const)('%s must be a real calendar date', (path, set) => {
    for (const value of ['2023-02-30', '2023-02-29', '2023-04-31', '2023-13-01', '15/05/1990', '1990-5-15', '1990-05-15T00:00:00Z']) {
      const issues = expectIssues(mutate((a) => set(a, value)), [`${path}:invalid_date`]);
      expect(issues[0]?.message).toContain('YYYY-MM-DD');
    }
  });

  it('accepts 29 February in a leap year', () => {
    expectValid(mutate((a) => (a.person.dateOfBirth = '2004-02-29')));
    expectValid(mutate((a) => (doc(a).expiresOn = '2028-02-29')));
    expectValid(mutate((a) => (doc(a).issuedOn = '2024-02-29')));
  });
});

describe('date of birth and age', () => {
  const at = (iso: string) => context({ at: new Date(iso) });
  const born = (dateOfBirth: string) => mutate((a) => (a.person.dateOfBirth = dateOfBirth));

  it('accepts someone who turns 18 today, refuses someone who turns 18 tomorrow', () => {
    expectValid(born('2008-03-15'), capabilities(), at('2026-03-15T00:00:00Z'));
    expectValid(born('2008-03-15'), capabilities(), at('2026-03-15T23:59:59Z'));
    const [issue] = expectIssues(born('2008-03-16'), ['person.dateOfBirth:underage'], capabilities(), at('2026-03-15T12:00:00Z'));
    expect(issue?.message).toContain('at least 18');
  });

  it('handles someone born on 29 February: 18 on 1 March of a common year', () => {
    expectIssues(born('2008-02-29'), ['person.dateOfBirth:underage'], capabilities(), at('2026-02-28T12:00:00Z'));
    expectValid(born('2008-02-29'), capabilities(), at('2026-03-01T00:00:00Z'));
    // on 29 February of a leap year
    expectValid(born('2006-02-28'), capabilities(), at('2024-02-29T12:00:00Z'));
    expectIssues(born('2006-03-01'), ['person.dateOfBirth:underage'], capabilities(), at('2024-02-29T12:00:00Z'));
  });

  it('uses the injected clock, not the system clock', () => {
    const undated = (dateOfBirth: string) =>
      mutate((a) => {
        a.person.dateOfBirth = dateOfBirth;
        delete doc(a).issuedOn;
        delete doc(a).expiresOn;
      });
    expectIssues(undated('1990-05-15'), ['person.dateOfBirth:underage'], capabilities(), at('2000-01-01T00:00:00Z'));
    expectValid(undated('1990-05-15'), capabilities(), at('2010-01-01T00:00:00Z'));
  });

  it('refuses a date of birth in the future (once, not also as underage)', () => {
    expectIssues(born('2026-03-16'), ['person.dateOfBirth:date_in_future']);
    expectIssues(born('2100-01-01'), ['person.dateOfBirth:date_in_future']);
  });

  it('refuses a date of birth more than 120 years ago', () => {
    expectValid(born('1906-03-15')); // 120 today
    expectValid(born('1905-03-16')); // 121 tomorrow
    expectIssues(born('1905-03-15'), ['person.dateOfBirth:implausible_date_of_birth']); // 121 today
    expectIssues(born('0001-01-01'), ['person.dateOfBirth:implausible_date_of_birth']);
  });
});

describe('countries', () => {
  const setters = {
    'person.nationality': (a: TestApplication, v: string) => (a.person.nationality = v),
    'address.country': (a: TestApplication, v: string) => (a.address.country = v),
    // A national id: any country issues one (an SSN is US only, see the identifier tests).
    'identifiers.0.issuingCountry': (a: TestApplication, v: string) => (a.identifiers[0] = { type: 'national_id', value: 'AB123456', issuingCountry: v }),
    'documents.0.issuingCountry': (a: TestApplication, v: string) => (doc(a).issuingCountry = v),
  };

  for (const [path, set] of Object.entries(setters)) {
    it(`${path}: accepts US, GB, DE and XK`, () => {
      for (const code of ['US', 'GB', 'DE', 'XK']) expectValid(mutate((a) => set(a, code)));
    });

    it(`${path}: refuses UK, EU, ZZ, lower case and alpha-3`, () => {
      for (const code of ['UK', 'EU', 'ZZ', 'us', 'USA']) {
        const [issue] = expectIssues(mutate((a) => set(a, code)), [`${path}:invalid_country`]);
        expect(issue?.message).toContain('ISO 3166-1 alpha-2');
      }
    });
  }
});

describe('files', () => {
  const withFront = (front: Record<string, unknown>) => mutate((a) => (doc(a).front = front));

  it.each(['image/jpeg', 'image/png', 'application/pdf'] as const)('accepts a real %s', (type) => {
    expectValid(withFront(file(type, 5000)));
  });

  it('refuses a PNG declared as image/jpeg, naming the real type', () => {
    const [issue] = expectIssues(
      withFront({ content: pngBytes(3000), contentType: 'image/jpeg', filename: 'scan.jpg' }),
      ['documents.0.front.contentType:file_type_mismatch'],
    );
    expect(issue?.message).toContain('PNG');
    expect(issue?.message).toContain('image/png');
  });

  it('refuses a PDF declared as image/png and a JPEG declared as application/pdf', () => {
    expectIssues(withFront({ ...file('application/pdf', 3000), contentType: 'image/png' }), ['documents.0.front.contentType:file_type_mismatch']);
    expectIssues(withFront({ ...file('image/jpeg', 3000), contentType: 'application/pdf' }), ['documents.0.front.contentType:file_type_mismatch']);
  });

  it('refuses bytes that are not JPEG, PNG or PDF', () => {
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]);
    expectIssues(withFront({ content: gif, contentType: 'image/jpeg', filename: 'a.gif' }), ['documents.0.front.content:unrecognized_file']);
  });

  it('refuses a content type the schema does not know', () => {
    expectIssues(withFront({ ...file('image/jpeg', 3000), contentType: 'image/gif' }), ['documents.0.front.contentType:invalid_value']);
  });

  it('refuses a content type this provider does not accept', () => {
    const caps = capabilities({ files: { contentTypes: ['image/jpeg', 'image/png'], maxBytes: 10_000_000 } });
    const [issue] = expectIssues(withFront(file('application/pdf', 3000)), ['documents.0.front.contentType:unsupported_content_type'], caps);
    expect(issue?.message).toBe('This provider does not accept application/pdf files; send image/jpeg or image/png.');
  });

  it('refuses an empty file (once)', () => {
    expectIssues(withFront({ content: new Uint8Array(0), contentType: 'image/jpeg', filename: 'a.jpg' }), ['documents.0.front.content:file_empty']);
    const caps = capabilities({ files: { contentTypes: ['image/jpeg'], minBytes: 100, maxBytes: 1000 } });
    expectIssues(withFront({ content: new Uint8Array(0), contentType: 'image/jpeg', filename: 'a.jpg' }), ['documents.0.front.content:file_empty'], caps);
  });

  it('enforces minBytes and maxBytes inclusively', () => {
    const caps = capabilities({ files: { contentTypes: ['image/jpeg', 'image/png', 'application/pdf'], minBytes: 1024, maxBytes: 4096 } });
    const sized = (size: number) => {
      const content = new Uint8Array(size);
      content.set([0xff, 0xd8, 0xff]);
      return withFront({ content, contentType: 'image/jpeg', filename: 'a.jpg' });
    };
    expectValid(sized(1024), caps);
    expectValid(sized(4096), caps);
    const [small] = expectIssues(sized(1023), ['documents.0.front.content:file_too_small'], caps);
    expect(small?.message).toContain('at least 1 KB');
    const [large] = expectIssues(sized(4097), ['documents.0.front.content:file_too_large'], caps);
    expect(large?.message).toContain('at most 4 KB');
  });

  it('applies the same rules to the back side', () => {
    expectIssues(
      mutate((a) => {
        a.documents = [
          { type: 'drivers_license', front: file('image/jpeg', 2000), back: { content: pngBytes(2000), contentType: 'image/jpeg', filename: 'b.jpg' } },
        ];
      }),
      ['documents.0.back.contentType:file_type_mismatch'],
    );
  });
});

describe('document dates', () => {
  it('refuses an expired document, and one expiring today', () => {
    expectIssues(mutate((a) => (doc(a).expiresOn = '2026-03-14')), ['documents.0.expiresOn:document_expired']);
    expectIssues(mutate((a) => (doc(a).expiresOn = '2026-03-15')), ['documents.0.expiresOn:document_expired']);
    expectValid(mutate((a) => (doc(a).expiresOn = '2026-03-16')));
  });

  it('refuses an issue date in the future; today is fine', () => {
    expectIssues(mutate((a) => (doc(a).issuedOn = '2026-03-16')), ['documents.0.issuedOn:date_in_future']);
    expectValid(mutate((a) => (doc(a).issuedOn = '2026-03-15')));
  });

  it('requires the issue date before the expiry date', () => {
    expectIssues(
      mutate((a) => {
        doc(a).issuedOn = '2031-01-01';
        doc(a).expiresOn = '2030-01-01';
      }),
      ['documents.0.issuedOn:date_in_future', 'documents.0.issuedOn:issued_after_expiry'],
    );
    expectIssues(
      mutate((a) => {
        doc(a).issuedOn = '2020-01-01';
        doc(a).expiresOn = '2020-01-01';
      }),
      ['documents.0.expiresOn:document_expired', 'documents.0.issuedOn:issued_after_expiry'],
    );
  });

  it('accepts documents without dates', () => {
    expectValid(
      mutate((a) => {
        delete doc(a).issuedOn;
        delete doc(a).expiresOn;
      }),
    );
  });
});

describe('documents and capabilities', () => {
  it('refuses a document type the provider does not accept, naming the alternatives', () => {
    const [issue] = expectIssues(
      mutate((a) => a.documents.push({ type: 'national_id', front: file(), back: file() })),
      ['documents.1.type:unsupported_document'],
    );
    expect(issue?.message).toBe('This provider does not accept national_id; send a passport, drivers_license or residence_permit');
  });

  it('names the accepted supporting documents for a refused non-identity document', () => {
    const caps = capabilities({ documentTypes: ['passport', 'selfie'], identityDocumentTypes: ['passport'] });
    const [issue] = expectIssues(mutate((a) => a.documents.push({ type: 'proof_of_address', front: file() })), ['documents.1.type:unsupported_document'], caps);
    expect(issue?.message).toBe('This provider does not accept proof_of_address; send a passport or selfie');
  });

  it('requires at least one identity document (issue at documents)', () => {
    expectIssues(mutate((a) => (a.documents = [{ type: 'selfie', front: file() }])), ['documents:identity_document_required']);
    const [issue] = expectIssues(mutate((a) => (a.documents = [])), ['documents:identity_document_required']);
    expect(issue?.message).toContain('passport, drivers_license or residence_permit');
  });

  it('requires the back of a two-sided document', () => {
    const two = (back: boolean) =>
      mutate((a) => (a.documents = [{ type: 'drivers_license', front: file(), ...(back ? { back: file('image/png') } : {}) }]));
    expectValid(two(true));
    expectIssues(two(false), ['documents.0.back:back_required']);
    // a passport needs no back
    expectValid(mutate((a) => (a.documents = [{ type: 'passport', front: file() }])));
  });

  it('refuses duplicate document types', () => {
    expectIssues(
      mutate((a) => a.documents.push({ type: 'passport', front: file() }, { type: 'selfie', front: file() }, { type: 'selfie', front: file() })),
      ['documents.1.type:duplicate_document', 'documents.3.type:duplicate_document'],
    );
  });

  it('refuses an unsupported customer type at customer.type', () => {
    const [issue] = expectIssues(validApplication(), ['customer.type:unsupported_customer_type'], capabilities(), context({ customerType: 'business' }));
    expect(issue?.message).toBe('This provider does not accept business customers; it accepts individual customers only.');
    expectValid(validApplication(), capabilities({ customerTypes: ['individual', 'business'] }), context({ customerType: 'business' }));
    expectValid(validApplication(), capabilities(), context({ customerType: undefined }));
  });
});

describe('required fields', () => {
  const requiring = (...requiredFields: ProviderCapabilities['requiredFields']) => capabilities({ requiredFields });
  const bare = () =>
    mutate((a) => {
      delete (a as Partial<TestApplication>).identifiers;
      delete (a as Partial<TestApplication>).profile;
      delete (a as Partial<TestApplication>).contactVerified;
      delete (a.address as Partial<typeof a.address>).state;
      delete (a.address as Partial<typeof a.address>).stateCode;
    });

  it('accepts the application when every required field is present', () => {
    expectValid(validApplication(), requiring('profile', 'identifiers', 'address.stateCode', 'contactVerified.email', 'contactVerified.phone'));
  });

  it('reports each missing required field at its path with code required', () => {
    const issues = expectIssues(
      bare(),
      ['profile:required', 'identifiers:required', 'address.stateCode:required', 'contactVerified.email:required', 'person.middleName:required'],
      requiring('profile', 'identifiers', 'address.stateCode', 'contactVerified.email', 'person.middleName'),
    );
    for (const issue of issues) expect(issue.message).toContain('required by this provider');
  });

  it('reports a missing required parent once, not also its required children', () => {
    expectIssues(bare(), ['contactVerified:required'], requiring('contactVerified', 'contactVerified.email', 'contactVerified.phone'));
  });

  it('treats an empty identifier list and a blank line2 as missing', () => {
    expectIssues(
      mutate((a) => {
        a.identifiers = [];
        (a.address as Record<string, unknown>).line2 = '  ';
      }),
      ['identifiers:required', 'address.line2:required'],
      requiring('identifiers', 'address.line2'),
    );
  });

  it('requires contact verification to be true, not just present', () => {
    const [issue] = expectIssues(
      mutate((a) => (a.contactVerified = { email: false, phone: true })),
      ['contactVerified.email:contact_not_verified'],
      requiring('contactVerified.email', 'contactVerified.phone'),
    );
    expect(issue?.message).toContain('contactVerified.email: true');
  });

  it('does not report a required field twice when the schema already did', () => {
    expectIssues(
      mutate((a) => ((a as Record<string, unknown>).contactVerified = 'yes')),
      ['contactVerified:invalid_type'],
      requiring('contactVerified.email'),
    );
    expectIssues(
      mutate((a) => ((a as Record<string, unknown>).contactVerified = { phone: true })),
      ['contactVerified.email:required'],
      requiring('contactVerified.email'),
    );
  });
});

describe('provider validation', () => {
  const providerIssue: ValidationIssue = { path: ['address', 'postalCode'], code: 'postal_code_format', message: 'Send a 5-digit ZIP code.' };

  it('appends the provider issues after core issues (rules that need the clock or capabilities do not stop it)', () => {
    const seen: unknown[] = [];
    const ctx = context({
      providerValidate: (application, validationContext) => {
        seen.push(application.person.firstName, validationContext.now().toISOString());
        return [providerIssue];
      },
    });
    const issues = issuesOf(mutate((a) => (doc(a).expiresOn = '2026-01-01')), capabilities(), ctx);
    expect(summary(issues)).toEqual(['documents.0.expiresOn:document_expired', 'address.postalCode:postal_code_format']);
    expect(seen).toEqual(['Jane', '2026-03-15T12:00:00.000Z']);
  });

  it('fails a structurally valid application on provider issues alone', () => {
    expect(issuesOf(validApplication(), capabilities(), context({ providerValidate: () => [providerIssue] }))).toEqual([providerIssue]);
  });

  it('passes when the provider has nothing to say', () => {
    expectValid(validApplication(), capabilities(), context({ providerValidate: () => [] }));
  });

  it('is not called when the schema refuses the application (it is promised a well-formed Application)', () => {
    let called = false;
    const ctx = context({ providerValidate: () => ((called = true), [providerIssue]) });
    expect(summary(issuesOf({ person: {} }, capabilities(), ctx))).not.toContain('address.postalCode:postal_code_format');
    expect(summary(issuesOf(mutate((a) => (a.person.phone = 'bad')), capabilities(), ctx))).toEqual(['person.phone:invalid_phone']);
    expect(called).toBe(false);
  });
});

describe('all issues at once', () => {
  it('returns every problem of an application with five problems, each at its path', () => {
    const application = mutate((a) => {
      a.person.phone = '415-555-1234'; // structure: format
      a.person.dateOfBirth = '2010-06-01'; // clock: underage
      a.address.country = 'UK'; // country list
      doc(a).expiresOn = '2025-12-31'; // clock: expired
      doc(a).front = { content: pngBytes(2000), contentType: 'image/jpeg', filename: 'scan.jpg' }; // magic bytes
    });
    const result = validateApplication(application, capabilities(), context());
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues).toHaveLength(5);
    expect(result.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        ['person', 'phone'],
        ['person', 'dateOfBirth'],
        ['address', 'country'],
        ['documents', 0, 'expiresOn'],
        ['documents', 0, 'front', 'contentType'],
      ]),
    );
    expect(summary(result.issues).sort()).toEqual(
      [
        'person.phone:invalid_phone',
        'person.dateOfBirth:underage',
        'address.country:invalid_country',
        'documents.0.expiresOn:document_expired',
        'documents.0.front.contentType:file_type_mismatch',
      ].sort(),
    );
  });

  it('keeps checking documents and capabilities when other parts are malformed', () => {
    expectIssues(
      {
        person: 'Jane',
        address: { line1: '1 Main St', city: 'X', postalCode: '1', country: 'US' },
        documents: [{ type: 'national_id', front: file() }, 'not a document'],
      },
      ['person:invalid_type', 'documents.0.type:unsupported_document', 'documents.1:invalid_type', 'documents:identity_document_required'],
    );
  });
});

describe('messages never contain submitted values', () => {
  const CANARIES = [
    'CANARY-FIRST-5511',
    'CANARY-LAST-5522',
    'CANARY-DOC-99887766',
    '99887766',
    'CANARY-ID-123456789',
    '123456789',
    'CANARY-CITY',
    'CANARY-ZIP-7788',
    'canary-mail',
    '1999-12-31',
    '1999',
    '2001-02-30',
    '2024-01-05',
    '2031-07-07',
    '+1555',
    'CANARY-FILE.jpg',
    'CANARY-OCCUPATION',
    'QQ',
    '51A-44-778',
    '666-12-3456',
    '666123456',
    '123-45-6780',
    '912-40-1234',
    'CNRY!7744',
  ];

  function canaryApplication() {
    return {
      person: {
        firstName: 'CANARY-FIRST-5511'.repeat(10), // too long
        lastName: 'CANARY-LAST-5522',
        middleName: 42,
        dateOfBirth: '1999-12-31', // underage at the clock below
        nationality: 'QQ',
        email: 'canary-mail@',
        phone: '+1555 CANARY',
      },
      address: { line1: '', city: 'CANARY-CITY', postalCode: 'CANARY-ZIP-7788'.repeat(3), country: 'qq' },
      identifiers: [
        { type: 'CANARY-ID-123456789', value: 'CANARY-ID-123456789'.repeat(5), issuingCountry: 'QQ' },
        { type: 'ssn', value: '51A-44-778', issuingCountry: 'US' }, // malformed
        { type: 'ssn', value: '666-12-3456', issuingCountry: 'US' }, // area never issued
        { type: 'ssn', value: '123-45-6780', issuingCountry: 'GB' }, // not a US number
        { type: 'itin', value: '912-40-1234', issuingCountry: 'US' }, // group outside the IRS ranges
        { type: 'national_id', value: 'CNRY!7744', issuingCountry: 'FR' },
      ],
      documents: [
        {
          type: 'national_id',
          number: 'CANARY-DOC-99887766'.repeat(5),
          issuingCountry: 'QQ',
          expiresOn: '2001-02-30',
          issuedOn: '2031-07-07',
          front: { content: pngBytes(100), contentType: 'image/jpeg', filename: 'CANARY-FILE.jpg' },
        },
        { type: 'proof_of_address', number: 'CNRY!7744', front: { content: pngBytes(100), contentType: 'image/png', filename: 'CANARY-FILE.jpg' } },
        {
          type: 'passport',
          number: 'CANARY-DOC-99887766',
          expiresOn: '2024-01-05', // expired
          issuedOn: '2031-07-07', // future and after expiry
          front: { content: new TextEncoder().encode('CANARY-DOC-99887766'), contentType: 'image/png', filename: 'CANARY-FILE.jpg' },
        },
      ],
      profile: { employmentStatus: 'CANARY-OCCUPATION', occupation: 'CANARY-OCCUPATION'.repeat(10), sourceOfFunds: 'x', accountPurpose: 'x', expectedMonthlyVolumeUsd: 'x', isIntermediary: 'CANARY-OCCUPATION' },
      contactVerified: { email: 'CANARY-FIRST-5511', phone: false },
    };
  }

  it('produces many issues, none mentioning a canary', () => {
    const clock = context({ at: new Date('2010-01-01T00:00:00Z') });
    const caps = capabilities({ requiredFields: ['address.stateCode', 'contactVerified.phone'], files: { contentTypes: ['image/png'], minBytes: 1000, maxBytes: 5000 } });
    const issues = issuesOf(canaryApplication(), caps, clock);
    expect(issues.length).toBeGreaterThanOrEqual(25);
    expect(issues.filter((issue) => issue.code === 'invalid_identifier')).toHaveLength(5);
    expect(issues.filter((issue) => issue.code === 'invalid_document_number')).toHaveLength(1);
    for (const issue of issues) {
      for (const canary of CANARIES) expect(issue.message, `${issue.path.join('.')}:${issue.code}`).not.toContain(canary);
    }
    // the error thrown by parseApplication summarizes them; it stays clean too
    let thrown: unknown;
    try {
      parseApplication(canaryApplication(), caps, clock);
    } catch (error) {
      thrown = error;
    }
    expect(ValidationError.isInstance(thrown)).toBe(true);
    const error = thrown as ValidationError;
    for (const canary of CANARIES) expect(error.message).not.toContain(canary);
    expect(JSON.stringify(error.issues)).not.toContain('CANARY');
  });

  it('keeps a valid canary date of birth out of the underage message', () => {
    const [issue] = expectIssues(
      mutate((a) => {
        a.person.dateOfBirth = '1999-12-31';
        delete doc(a).issuedOn;
      }),
      ['person.dateOfBirth:underage'],
      capabilities(),
      context({ at: new Date('2015-06-01T00:00:00Z') }),
    );
    expect(issue?.message).not.toMatch(/1999|12-31|15|16/);
  });
});

describe('robustness', () => {
  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withDate: true, withMap: true, withNullPrototype: true }), (input) => {
        const result = validateApplication(input, capabilities(), context());
        expect(result.success).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on a valid application with random parts replaced', () => {
    const keys = ['person', 'address', 'identifiers', 'documents', 'profile', 'contactVerified'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.anything({ withTypedArray: true }), fc.constantFrom(...keys), fc.anything(), (k1, v1, k2, v2) => {
        const application: Record<string, unknown> = validApplication();
        application[k1] = v1;
        const inner = application[k2];
        if (typeof inner === 'object' && inner !== null) (inner as Record<string, unknown>).type = v2;
        const result = validateApplication(application, capabilities({ requiredFields: ['profile', 'contactVerified.email', 'identifiers'] }), context());
        if (!result.success) for (const issue of result.issues) expect(APPLICATION_ISSUE_CODES).toContain(issue.code);
      }),
      { numRuns: 500 },
    );
  });

  it('does not let documents with random bytes throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('image/jpeg', 'image/png', 'application/pdf'), (content, contentType) => {
        validateApplication(mutate((a) => (doc(a).front = { content, contentType, filename: 'x' })), capabilities(), context());
      }),
      { numRuns: 500 },
    );
  });

  it('is fast enough to run before every submit', () => {
    const application = validApplication();
    const caps = capabilities();
    const ctx = context();
    const started = performance.now();
    for (let i = 0; i < 2000; i += 1) validateApplication(application, caps, ctx);
    const perCall = (performance.now() - started) / 2000;
    expect(perCall).toBeLessThan(2); // milliseconds; typically ~0.02
  });

  it('refuses a broken clock loudly (programming error, not input)', () => {
    expect(() => validateApplication(validApplication(), capabilities(), { now: () => new Date(Number.NaN) })).toThrow(RangeError);
  });
});
