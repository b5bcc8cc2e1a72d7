export * from './types';
export { createAnacBdncpSimulator } from './anac-bdncp-simulator';
export {
  createEProcurementPlatformSimulator,
  SIMULATED_OPERATORS,
  withCheckDigit,
} from './e-procurement-platform-simulator';
export { createFvoeSimulator } from './fvoe-simulator';
export { createFundingPortalSimulator } from './funding-portal-simulator';

import { createAnacBdncpSimulator } from './anac-bdncp-simulator';
import { createEProcurementPlatformSimulator } from './e-procurement-platform-simulator';
import { createFvoeSimulator } from './fvoe-simulator';
import { createFundingPortalSimulator } from './funding-portal-simulator';
import type { Adapters } from './types';

/** All outside systems as local simulators (tests, demos, development). */
export function createSimulatedAdapters(opts: { failingVatNumbers?: string[] } = {}): Adapters {
  return {
    anac: createAnacBdncpSimulator(),
    platform: createEProcurementPlatformSimulator(),
    fvoe: createFvoeSimulator(opts.failingVatNumbers),
    fundingPortal: createFundingPortalSimulator(),
  };
}
