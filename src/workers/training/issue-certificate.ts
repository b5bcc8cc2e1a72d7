/**
 * Job type training.issueCertificate (multi-instance, one per certified participant):
 * renders the province's certificate template as a PDF, stores it once, links it to
 * the participant's outcome and e-mails the participant the download link.
 */
import { createDocumentStore, renderTemplate, renderTextPdf } from '../../documents';
import { PIAO_AREA_NAMES, type PiaoArea } from '../../training';
import type { ServiceHandler } from '../context';
import { provinceOf } from '../common/province';
import { templateData } from '../shared/template-data';
import { sendTemplateOnce, storeOf } from './common';

const MODE_NAMES: Record<string, string> = {
  classroom: 'in aula',
  webinar: 'webinar',
  'e-learning': 'e-learning',
  blended: 'mista',
};

export const issueTrainingCertificate: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const participant = v.participant as {
    username: string;
    name: string;
    email?: string;
    office: string;
    comuneIstat: string;
  };
  const store = storeOf(ctx);
  const courseCode = String(v.courseCode);
  const [course, outcome] = await Promise.all([
    store.course(job.tenantId, courseCode),
    store.participation(job.tenantId, courseCode, participant.username),
  ]);
  if (!course || !outcome?.certified) {
    throw new Error(`${participant.username} has no certified outcome for course ${courseCode}`);
  }
  const certificateNumber = `${courseCode}-${participant.username}`;
  const data = templateData(
    ctx,
    { ...job, variables: { ...v, comuneIstat: participant.comuneIstat } },
    {
      participant,
      outcome,
      courseTitle: course.title,
      courseHours: course.hours,
      testQuestions: course.testQuestions,
      areaName: PIAO_AREA_NAMES[course.area as PiaoArea] ?? course.area,
      modeName: MODE_NAMES[course.mode] ?? course.mode,
      certificateNumber,
    },
  );
  const text = renderTemplate(
    'documents',
    'attestato-formazione',
    job.tenantId,
    data,
    ctx.templatesDir,
    ctx.templateSources?.['documents/attestato-formazione'],
    { plainText: true },
  ).text;
  const pdf = await renderTextPdf(text, {
    title: `Attestato ${certificateNumber}`,
    author: provinceOf(ctx, job.tenantId).name,
    subject: course.title,
  });
  const { document } = await createDocumentStore(ctx.connection).createOnce({
    key: `training-certificate:${job.tenantId}:${certificateNumber}`,
    tenantId: job.tenantId,
    processInstanceKey: job.processInstanceKey,
    kind: 'attestato-formazione',
    title: `Attestato - ${course.title} - ${participant.name}`,
    fileName: `attestato-${certificateNumber}.pdf`,
    contentType: 'application/pdf',
    encoding: 'base64',
    content: pdf.toString('base64'),
  });
  await store.setParticipation(job.tenantId, courseCode, participant.username, {
    certificateDocumentId: document.documentId,
  });
  const mail = await sendTemplateOnce(
    ctx,
    job,
    `${job.key}:formazione-attestato`,
    'formazione-attestato',
    participant.email ? [participant.email] : [],
    {
      participant,
      outcome,
      courseTitle: course.title,
      certificate: { documentId: document.documentId },
    },
  );
  return {
    // No variables: this runs once per participant and must not overwrite the others'.
    variables: {},
    summary: `Attestato del corso ${courseCode} rilasciato a ${participant.name} (${outcome.certifiedHours} ore)`,
    details: { username: participant.username, documentId: document.documentId, mailed: mail.sent },
  };
};
