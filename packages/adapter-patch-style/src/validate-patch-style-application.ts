import type { Application, ValidationContext, ValidationIssue } from '@openkyc/core';

/**
 * patch-style's own checks on top of the capability rules (pure, before any
 * call). The guide's `stateCode` is a "2-letter state code"; subdivision codes
 * of up to three letters or digits (MX `CMX`) are accepted too.
 */
export function validatePatchStyleApplication(application: Application, _context: ValidationContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stateCode = application.address.stateCode;
  if (stateCode !== undefined && !STATE_CODE.test(stateCode)) {
    issues.push({
      path: ['address', 'stateCode'],
      code: 'invalid_state_code',
      message: 'must be the state or province code of up to 3 letters or digits, e.g. CA',
    });
  }
  return issues;
}

const STATE_CODE = /^[A-Za-z0-9]{1,3}$/;
