import type { Application, DocumentType, ValidationContext, ValidationIssue } from '@openkyc/core';
import { IDENTITY_DOCUMENT_TYPES, isAcceptedDocumentType } from './map-application.js';

/**
 * Technest's own rules on top of the capability checks core runs (pure, no
 * I/O). Messages say what to send instead and never contain submitted values.
 *
 * - National ID cards and state ids are refused, naming the accepted identity
 *   documents (core refuses them too, from the capabilities; the same issue is
 *   reported once).
 * - One identity document only: Technest has a single `id_file` slot.
 * - Proof of address and selfie are one file each (no `back`).
 * - Business customers are refused: Technest's file endpoints are for
 *   individuals; businesses verify through its separate KYB onboarding.
 */
export function validateTechnestApplication(application: Application, context: ValidationContext): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (context.customerType === 'business') {
    issues.push({
      path: ['customer', 'type'],
      code: 'unsupported_customer_type',
      message: 'Technest verifies individual customers only; onboard business customers through its separate KYB onboarding.',
    });
  }

  let identityDocuments = 0;
  application.documents.forEach((document, index) => {
    const type: DocumentType = document.type;
    if (type === 'national_id' || type === 'state_id') {
      issues.push({
        path: ['documents', index, 'type'],
        code: 'unsupported_document',
        message: `Technest does not accept ${type === 'national_id' ? 'national identity cards' : 'state ids'} (${type}); send a passport, drivers_license or residence_permit instead.`,
      });
      return;
    }
    if (!isAcceptedDocumentType(type)) return;
    if ((IDENTITY_DOCUMENT_TYPES as readonly string[]).includes(type)) {
      identityDocuments += 1;
      if (identityDocuments === 2) {
        issues.push({
          path: ['documents', index, 'type'],
          code: 'too_many_identity_documents',
          message: 'Technest takes one identity document (a single id_file slot); send only one of passport, drivers_license or residence_permit.',
        });
      }
    } else if (document.back !== undefined) {
      issues.push({
        path: ['documents', index, 'back'],
        code: 'back_not_supported',
        message: `Technest takes one file for ${type}; send it as front only (a multi-page PDF is fine).`,
      });
    }
  });
  return issues;
}
