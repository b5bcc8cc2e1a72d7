/**
 * Every IDOR fixture, one per resource kind named in the route tables. Areas add theirs
 * here (one import, one entry).
 */
import {
  apiTokenFixture,
  apiTokenPageFixture,
  apiTokenRevokeFixture,
  userFixture,
} from './core-fixtures';
import { modelFixture, modelImportFixture } from './modeling-fixtures';
import { attachmentFixture, caseFixture, documentFixture, taskFixture } from './inbox-fixtures';
import { alertFixture, processInstanceFixture } from './monitoring-fixtures';
import {
  trainingCampaignFixture,
  trainingCertificateFixture,
  trainingCourseFixture,
} from './training-fixtures';
import { ownPracticeFixture, practiceDocumentFixture, practiceFixture } from './practices-fixtures';
import type { IdorFixture } from './types';

export * from './types';

export const IDOR_FIXTURES: IdorFixture[] = [
  apiTokenFixture,
  apiTokenPageFixture,
  apiTokenRevokeFixture,
  userFixture,
  processInstanceFixture,
  alertFixture,
  modelFixture,
  modelImportFixture,
  trainingCourseFixture,
  trainingCampaignFixture,
  trainingCertificateFixture,
  practiceFixture,
  ownPracticeFixture,
  practiceDocumentFixture,
  caseFixture,
  taskFixture,
  documentFixture,
  attachmentFixture,
];
