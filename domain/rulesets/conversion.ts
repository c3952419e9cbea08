// Conversion coefficients per job position (RULES.md): products are converted to a common unit by a
// catalogue approved by the head of the agency and versioned.
import type { DecimalString } from '../plan/model.ts';

export interface ConversionCatalogue {
  id: string;
  version: number;
  agencyId: string;
  approvedBy: string;
  approvedOn: string;
  /** Job position → product type → coefficient (units of the common measure per product). */
  coefficients: Record<string, Record<string, DecimalString>>;
}

/** An example catalogue (synthetic data for tests and demos). */
export const EXAMPLE_CATALOGUE: ConversionCatalogue = {
  id: 'example-agency-products',
  version: 1,
  agencyId: 'example-agency',
  approvedBy: 'head-of-agency',
  approvedOn: '2026-01-05',
  coefficients: {
    specialist: { report: '1', draftDecision: '2', inspection: '3', dossier: '0.5' },
    deputyHead: { report: '1', draftDecision: '1.5', inspection: '2', dossier: '0.5' },
  },
};
