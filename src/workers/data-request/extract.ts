/**
 * Job type dataRequest.extract: produces the requested dataset in CSV and JSON
 * (stored as documents once per job), anonymised/aggregated when the DPO asked.
 */
import { createDocumentStore } from '../../documents';
import type { ServiceHandler } from '../context';
import { findDataset, readDataset, toCsv } from './catalogue';
import { elaborate } from './elaborate';
import { dataRequestSettings } from './settings';

export const extractDataset: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const info = findDataset(v.datasetId);
  const anonymise = v.dpoDecision === 'anonymise';
  const aggregateBy = anonymise
    ? (v.dpoAggregateBy as string[] | undefined)
    : v.elaboration === 'aggregate'
      ? (v.aggregateBy as string[] | undefined)
      : undefined;
  const result = elaborate(info, readDataset(info), {
    filterComune:
      v.elaboration === 'filter' && typeof v.filterComune === 'string' ? v.filterComune : undefined,
    aggregateBy,
    anonymise,
    minCellSize: dataRequestSettings(ctx, job.tenantId).minCellSize,
  });
  const format = typeof v.outputFormat === 'string' ? v.outputFormat : 'both';
  const store = createDocumentStore(ctx.connection);
  const files = [];
  const base = `${info.id}-${String(v.caseNumber ?? job.processInstanceKey)}`;
  if (format === 'csv' || format === 'both') {
    const { document } = await store.createOnce({
      key: `${job.key}:dataset:csv`,
      tenantId: job.tenantId,
      processInstanceKey: job.processInstanceKey,
      kind: 'dataset',
      title: `${info.title} (CSV)`,
      fileName: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      content: toCsv(result.rows),
    });
    files.push({ documentId: document.documentId, fileName: document.fileName, format: 'CSV' });
  }
  if (format === 'json' || format === 'both') {
    const { document } = await store.createOnce({
      key: `${job.key}:dataset:json`,
      tenantId: job.tenantId,
      processInstanceKey: job.processInstanceKey,
      kind: 'dataset',
      title: `${info.title} (JSON)`,
      fileName: `${base}.json`,
      contentType: 'application/json',
      content: JSON.stringify(result.rows, null, 2),
    });
    files.push({ documentId: document.documentId, fileName: document.fileName, format: 'JSON' });
  }
  return {
    variables: {
      resultFiles: files,
      resultRowCount: result.rows.length,
      anonymised: anonymise,
      suppressedCells: result.suppressedCells,
    },
    summary: `Dataset prodotto: ${result.rows.length} righe${anonymise ? ', anonimizzato e aggregato' : ''}`,
    details: {
      files,
      removedColumns: result.removedColumns,
      suppressedCells: result.suppressedCells,
    },
  };
};
