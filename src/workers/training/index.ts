/** The training line's job types and their handlers. */
import type { ServiceHandler } from '../context';
import { adoptTrainingPlan } from './adopt-plan';
import { analyseTrainingNeeds } from './analyse-needs';
import { assessCourseParticipants } from './assess-participants';
import { buildTrainingReport } from './build-report';
import { checkIndividualPlan } from './check-individual-plan';
import { closeCourseEnrolment } from './close-enrolment';
import { closeTrainingSurvey } from './close-survey';
import { enrolOnCourses } from './enrol';
import { issueTrainingCertificate } from './issue-certificate';
import { openTrainingCampaign } from './open-campaign';
import { openTrainingCourse } from './open-course';
import { proposeTrainingPlan } from './propose-plan';
import { recordTrainingAssessment } from './record-assessment';
import { recordComuneSurvey } from './record-comune-survey';
import { recordTrainingEvaluation } from './record-evaluation';
import { remindLateComuni } from './remind-comuni';

export const TRAINING_HANDLERS: Record<string, ServiceHandler> = {
  'training.openCampaign': openTrainingCampaign,
  'training.remindComuni': remindLateComuni,
  'training.closeSurvey': closeTrainingSurvey,
  'training.recordComuneSurvey': recordComuneSurvey,
  'training.recordAssessment': recordTrainingAssessment,
  'training.analyseNeeds': analyseTrainingNeeds,
  'training.proposePlan': proposeTrainingPlan,
  'training.adoptPlan': adoptTrainingPlan,
  'training.checkIndividualPlan': checkIndividualPlan,
  'training.enrol': enrolOnCourses,
  'training.openCourse': openTrainingCourse,
  'training.closeEnrolment': closeCourseEnrolment,
  'training.assessParticipants': assessCourseParticipants,
  'training.issueCertificate': issueTrainingCertificate,
  'training.recordEvaluation': recordTrainingEvaluation,
  'training.buildReport': buildTrainingReport,
};
