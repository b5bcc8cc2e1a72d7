/**
 * Writes the .bpmn files of processes/ from the specs in this folder.
 * Run: npx tsx processes/tools/generate.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildBpmn, type ProcessSpec } from './bpmn-builder';
import { dataRequestProcess } from './data-request-model';
import { euCallScoutingProcess, euFundingProcess } from './eu-funding-model';
import { procurementProcess } from './procurement-model';
import {
  trainingCampaignProcess,
  trainingComuneSurveyProcess,
  trainingCourseProcess,
  trainingIndividualPlanProcess,
  trainingReportProcess,
  trainingSelfAssessmentProcess,
} from './training-model';
import { trainingPriorityDecision } from './training-decisions';
import { buildDmn, type DecisionTableSpec } from './dmn-builder';
import {
  dataRequestClassificationDecision,
  euCallMatchingDecision,
  procurementProcedureDecision,
} from './decisions';

const root = path.resolve(__dirname, '..');
const targets: [string, ProcessSpec][] = [
  ['procurement/procurement.bpmn', procurementProcess],
  ['eu-funding/eu-funding.bpmn', euFundingProcess],
  ['eu-funding/eu-call-scouting.bpmn', euCallScoutingProcess],
  ['data-request/data-request.bpmn', dataRequestProcess],
  ['training/training-campaign.bpmn', trainingCampaignProcess],
  ['training/training-comune-survey.bpmn', trainingComuneSurveyProcess],
  ['training/training-self-assessment.bpmn', trainingSelfAssessmentProcess],
  ['training/training-individual-plan.bpmn', trainingIndividualPlanProcess],
  ['training/training-course.bpmn', trainingCourseProcess],
  ['training/training-report.bpmn', trainingReportProcess],
];
mkdirSync(path.join(root, 'training'), { recursive: true });
for (const [file, spec] of targets) {
  writeFileSync(path.join(root, file), buildBpmn(spec));
  console.log(`wrote processes/${file}`);
}

const decisions: [string, DecisionTableSpec][] = [
  ['procurement/procurement-procedure.dmn', procurementProcedureDecision],
  ['eu-funding/eu-call-matching.dmn', euCallMatchingDecision],
  ['data-request/data-request-classification.dmn', dataRequestClassificationDecision],
  ['training/training-priority.dmn', trainingPriorityDecision],
];
for (const [file, spec] of decisions) {
  writeFileSync(path.join(root, file), buildDmn(spec));
  console.log(`wrote processes/${file}`);
}
