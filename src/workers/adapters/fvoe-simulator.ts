/**
 * SIMULATOR of the FVOE (fascicolo virtuale dell'operatore economico) for tests and
 * demos: every operator passes, except the partite IVA given as failing.
 */
import type { FvoeAdapter } from './types';

const REQUIREMENTS = [
  'Assenza di cause di esclusione (art. 94-95)',
  'Regolarità contributiva (DURC)',
  'Regolarità fiscale',
  'Casellario ANAC',
];

export function createFvoeSimulator(failingVatNumbers: string[] = []): FvoeAdapter {
  const failing = new Set(failingVatNumbers);
  return {
    async checkRequirements(vatNumber) {
      const fails = failing.has(vatNumber);
      const checks = REQUIREMENTS.map((requirement, i) => ({
        requirement,
        ok: !(fails && i === 1),
        note: fails && i === 1 ? 'DURC irregolare (simulato)' : undefined,
      }));
      return { ok: checks.every((c) => c.ok), checks };
    },
  };
}
