/**
 * Job type document.generate: renders the document template named in the header
 * `template` for the tenant, stores it once, and returns a reference in the
 * variable named by the header `resultVariable`.
 */
import { createDocumentStore, renderTemplate } from '../../documents';
import type { ServiceContext, ServiceHandler, ServiceJob, Variables } from '../context';
import { templateData } from './template-data';

export interface DocumentReference {
  documentId: string;
  fileName: string;
  title: string;
}

const TITLES: Record<string, string> = {
  'determina-aggiudicazione': 'Determina di aggiudicazione',
  'lettera-invito': 'Lettera d’invito',
  'verbale-gara': 'Verbale di gara',
  'piano-formazione': 'Piano della formazione',
  'rendiconto-formazione': 'Rendiconto della formazione',
};

/** Renders and stores a document once per key; used by other handlers too. */
export async function createDocumentOnce(
  ctx: ServiceContext,
  job: ServiceJob,
  template: string,
  key: string,
  extra: Variables = {},
): Promise<DocumentReference> {
  const rendered = renderTemplate(
    'documents',
    template,
    job.tenantId,
    templateData(ctx, job, extra),
    ctx.templatesDir,
    ctx.templateSources?.[`documents/${template}`],
  );
  const suffix = typeof extra.fileSuffix === 'string' ? `-${extra.fileSuffix}` : '';
  const { document } = await createDocumentStore(ctx.connection).createOnce({
    key,
    tenantId: job.tenantId,
    processInstanceKey: job.processInstanceKey,
    kind: template,
    title: TITLES[template] ?? template,
    fileName: `${template}${suffix}.html`,
    contentType: 'text/html; charset=utf-8',
    content: rendered.text,
  });
  return { documentId: document.documentId, fileName: document.fileName, title: document.title };
}

export const generateDocument: ServiceHandler = async (job, ctx) => {
  const template = String(job.customHeaders.template ?? '');
  const resultVariable = String(job.customHeaders.resultVariable ?? 'generatedDocument');
  if (!template) throw new Error(`${job.elementId}: the task header "template" is missing`);
  const ref = await createDocumentOnce(ctx, job, template, `${job.key}:${template}`);
  return {
    variables: { [resultVariable]: ref },
    summary: `Documento generato: ${ref.title}`,
    details: { ...ref, template },
  };
};
