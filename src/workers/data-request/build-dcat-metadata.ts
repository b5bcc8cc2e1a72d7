/** Job type dataRequest.buildDcatMetadata: the DCAT-AP_IT metadata document of the dataset to publish. */
import { createDocumentStore } from '../../documents';
import type { ServiceHandler } from '../context';
import { provinceOf, section } from '../common/province';
import { findDataset } from './catalogue';
import { buildDcatApIt } from './dcat-metadata';
import { dataRequestSettings } from './settings';

export const buildDcatMetadata: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const info = findDataset(v.datasetId);
  const province = provinceOf(ctx, job.tenantId);
  const identifier = `${job.tenantId}-${String(v.caseNumber ?? job.processInstanceKey).toLowerCase()}`;
  const metadata = buildDcatApIt({
    identifier,
    info,
    title: typeof v.datasetTitle === 'string' ? v.datasetTitle : info.title,
    description: typeof v.datasetDescription === 'string' ? v.datasetDescription : info.description,
    keywords:
      Array.isArray(v.keywords) && v.keywords.length ? (v.keywords as string[]) : info.keywords,
    files: (v.resultFiles ?? []) as { documentId: string; fileName: string; format: string }[],
    province,
    settings: dataRequestSettings(ctx, job.tenantId),
    downloadBaseUrl:
      section<{ downloadBaseUrl: string }>(province.settings, 'documents').downloadBaseUrl ?? '',
    modified: (ctx.now?.() ?? new Date()).toISOString(),
  });
  const { document } = await createDocumentStore(ctx.connection).createOnce({
    key: `${job.key}:dcat`,
    tenantId: job.tenantId,
    processInstanceKey: job.processInstanceKey,
    kind: 'dcat-ap-it',
    title: 'Metadati DCAT-AP_IT',
    fileName: `${identifier}.jsonld`,
    contentType: 'application/ld+json',
    content: JSON.stringify(metadata, null, 2),
  });
  return {
    variables: {
      dcatMetadata: { documentId: document.documentId, identifier, landingPage: metadata['@id'] },
    },
    summary: `Metadati DCAT-AP_IT prodotti per ${identifier}`,
    details: { identifier, documentId: document.documentId },
  };
};
