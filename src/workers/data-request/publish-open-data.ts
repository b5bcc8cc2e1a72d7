/**
 * Job type dataRequest.publishOpenData: publishes the dataset in the province's
 * open-data catalogue (collection openDataCatalogue, harvestable as DCAT-AP_IT);
 * publishing twice updates nothing (unique identifier).
 */
import { createDocumentStore } from '../../documents';
import type { ServiceHandler, Variables } from '../context';
import { ensureIndex, isDuplicateKeyError } from '../../db';

export const OPEN_DATA_COLLECTION = 'openDataCatalogue';

export const publishOpenData: ServiceHandler = async (job, ctx) => {
  const ref = (job.variables.dcatMetadata ?? {}) as Variables;
  const identifier = String(ref.identifier);
  const doc = await createDocumentStore(ctx.connection).get(job.tenantId, String(ref.documentId));
  if (!doc) throw new Error(`DCAT-AP_IT metadata ${String(ref.documentId)} not found`);
  const catalogue = ctx.connection.db!.collection(OPEN_DATA_COLLECTION);
  await ensureIndex(
    ctx.connection,
    OPEN_DATA_COLLECTION,
    { tenantId: 1, identifier: 1 },
    { unique: true, name: 'tenant_identifier' },
  );
  try {
    await catalogue.insertOne({
      tenantId: job.tenantId,
      identifier,
      processInstanceKey: job.processInstanceKey,
      metadata: JSON.parse(doc.content),
      files: job.variables.resultFiles ?? [],
      publishedAt: ctx.now?.() ?? new Date(),
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
  }
  return {
    variables: { openDataUrl: ref.landingPage, openDataPublished: true },
    summary: `Dataset ${identifier} pubblicato come dato aperto`,
    details: { identifier, landingPage: ref.landingPage },
  };
};
