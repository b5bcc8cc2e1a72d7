/** Data service settings of a tenant (engine-config `dataRequests`). */
import type { ServiceContext } from '../context';
import { section, settingsOf } from '../common/province';

export interface DataRequestSettings {
  serviceLevel: string;
  reminderBefore: string;
  minCellSize: number;
  openData: { catalogueBaseUrl: string; license: string; licenseName: string };
}

export function dataRequestSettings(ctx: ServiceContext, tenantId: string): DataRequestSettings {
  const s = section<DataRequestSettings>(settingsOf(ctx, tenantId), 'dataRequests');
  return {
    serviceLevel: s.serviceLevel ?? 'P30D',
    reminderBefore: s.reminderBefore ?? 'P5D',
    minCellSize: s.minCellSize ?? 3,
    openData: {
      catalogueBaseUrl: s.openData?.catalogueBaseUrl ?? 'https://dati.example.provincia.it/dataset',
      license: s.openData?.license ?? 'https://creativecommons.org/licenses/by/4.0/',
      licenseName: s.openData?.licenseName ?? 'CC BY 4.0',
    },
  };
}
