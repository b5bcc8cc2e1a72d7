/**
 * IDOR fixtures of the training area: a course of the catalogue and a needs-survey
 * campaign (seen by the province's staff), and a certificate (only its holder).
 * Created through the training room's store, as its workers do.
 */
import { randomBytes } from 'node:crypto';
import { createDocumentStore, renderTextPdf } from '../../../src/documents';
import { createTrainingStore } from '../../../src/training';
import type { IdorFixture } from './types';

const tag = () => randomBytes(4).toString('hex');

export const trainingCourseFixture: IdorFixture = {
  kind: 'training-course',
  visibility: 'tenant',
  sites: 'comuni',
  async create(env, site) {
    const code = `IDOR-${tag().toUpperCase()}`;
    const title = `Corso IDOR ${site.tenantId} ${tag()}`;
    await createTrainingStore(env.product.db.connection).openCourse({
      _id: `${site.tenantId}:${code}`,
      tenantId: site.tenantId,
      processInstanceKey: `idor-${code}`,
      courseCode: code,
      title,
      source: 'own',
      area: 'administrative',
      mandatory: false,
      mode: 'webinar',
      hours: 4,
      sessions: [{ date: '2027-03-01', hours: 4 }],
      seats: 10,
      testQuestions: 10,
      cost: 0,
      fundingSource: 'own',
      tutorUsername: site.owner.username,
      year: 2027,
      enrolmentClosesAt: new Date('2027-02-20T22:59:59Z'),
      status: 'open',
      createdAt: new Date(),
    });
    return { id: code, markers: [title] };
  },
};

export const trainingCampaignFixture: IdorFixture = {
  kind: 'training-campaign',
  visibility: 'tenant',
  sites: 'comuni',
  async create(env, site) {
    const key = `idor-campaign-${tag()}`;
    const title = `Rilevazione IDOR ${site.tenantId} ${tag()}`;
    await createTrainingStore(env.product.db.connection).createCampaign({
      _id: key,
      tenantId: site.tenantId,
      caseNumber: `FORM-${site.tenantId}-IDOR`,
      title,
      year: 2027,
      deadlineAt: new Date('2027-01-31T22:59:59Z'),
      comuni: [{ comuneIstat: site.comune!, comuneName: 'Comune', employees: 1, status: 'open' }],
      status: 'surveying',
      createdAt: new Date(),
    });
    return { id: key, markers: [title] };
  },
};

export const trainingCertificateFixture: IdorFixture = {
  kind: 'training-certificate',
  visibility: 'owner',
  sites: 'users',
  async create(env, site) {
    const connection = env.product.db.connection;
    const code = `CERT-${tag().toUpperCase()}`;
    const title = `Attestato IDOR ${site.owner.username} ${tag()}`;
    const pdf = await renderTextPdf(`# ${title}`, { title, author: 'test' });
    const { document } = await createDocumentStore(connection).createOnce({
      key: `idor-certificate:${code}`,
      tenantId: site.tenantId,
      processInstanceKey: `idor-${code}`,
      kind: 'attestato-formazione',
      title,
      fileName: `attestato-${code}.pdf`,
      contentType: 'application/pdf',
      encoding: 'base64',
      content: pdf.toString('base64'),
    });
    const store = createTrainingStore(connection);
    await store.recordOutcomes([
      {
        _id: `${site.tenantId}:${code}:${site.owner.username}`,
        tenantId: site.tenantId,
        courseCode: code,
        courseTitle: title,
        year: new Date().getFullYear(),
        username: site.owner.username,
        name: site.owner.name,
        comuneIstat: site.owner.comune ?? '',
        office: 'Ufficio',
        attendedHours: 4,
        attendancePercent: 100,
        correctAnswers: 10,
        scorePercent: 100,
        passedTest: true,
        certified: true,
        certifiedHours: 4,
        recordedAt: new Date(),
      },
    ]);
    await store.setParticipation(site.tenantId, code, site.owner.username, {
      certificateDocumentId: document.documentId,
    });
    return { id: document.documentId, markers: [title] };
  },
};
