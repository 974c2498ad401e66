import { describe, expect, it } from 'vitest';
import {
  UNRECOGNIZED_PROVIDER_CODE,
  describeProviderCode,
  documentedProviderCode,
  providerCodeVocabulary,
  providerTextScrubber,
} from '../../src/index.js';

const vocabulary = providerCodeVocabulary(['validation_failed', 'token_expired', /error\.msg\.client\.verify(\.[a-z]+)+/]);
const scrubber = providerTextScrubber({ application: { person: { lastName: 'Quortaby' }, documents: [{ number: 'PZ8K4Q7M3' }] } });

describe('provider code vocabulary', () => {
  it('keeps documented codes, exact or by pattern', () => {
    expect(documentedProviderCode('validation_failed', vocabulary, scrubber)).toBe('validation_failed');
    expect(documentedProviderCode(' token_expired ', vocabulary, scrubber)).toBe('token_expired');
    expect(documentedProviderCode('error.msg.client.verify.email.unverified', vocabulary, scrubber)).toBe('error.msg.client.verify.email.unverified');
  });

  it('drops codes outside the vocabulary, even code-shaped ones', () => {
    expect(documentedProviderCode('PZ8K4Q7M3', vocabulary, scrubber)).toBeUndefined();
    expect(documentedProviderCode('brand_new_code', vocabulary, scrubber)).toBeUndefined();
    expect(documentedProviderCode('validation_failed_PZ8K4Q7M3', vocabulary, scrubber)).toBeUndefined();
  });

  it('anchors patterns: a documented prefix does not carry anything after it', () => {
    expect(documentedProviderCode('error.msg.client.verify.email.unverified PZ8K4Q7M3', vocabulary)).toBeUndefined();
    expect(documentedProviderCode('xerror.msg.client.verify.email', vocabulary)).toBeUndefined();
  });

  it('drops a documented-looking code that carries a submitted value', () => {
    expect(documentedProviderCode('error.msg.client.verify.quortaby', vocabulary, scrubber)).toBeUndefined();
    expect(documentedProviderCode('error.msg.client.verify.quortaby', vocabulary)).toBe('error.msg.client.verify.quortaby');
  });

  it('without a vocabulary keeps only clean, code-shaped codes', () => {
    expect(documentedProviderCode('some_code', undefined)).toBe('some_code');
    expect(documentedProviderCode('PZ8K4Q7M3', undefined)).toBeUndefined();
    expect(documentedProviderCode('two words', undefined)).toBeUndefined();
    expect(documentedProviderCode(42, undefined)).toBeUndefined();
  });

  it('messages get the neutral placeholder for a code outside the vocabulary, nothing for no code', () => {
    expect(describeProviderCode('PZ8K4Q7M3', vocabulary, scrubber)).toBe(UNRECOGNIZED_PROVIDER_CODE);
    expect(describeProviderCode('validation_failed', vocabulary, scrubber)).toBe('validation_failed');
    expect(describeProviderCode(undefined, vocabulary, scrubber)).toBeUndefined();
    expect(describeProviderCode('', vocabulary, scrubber)).toBeUndefined();
  });
});
