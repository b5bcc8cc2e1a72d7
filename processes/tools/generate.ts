/**
 * Writes the .bpmn files of processes/ from the specs in this folder.
 * Run: npx tsx processes/tools/generate.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildBpmn, type ProcessSpec } from './bpmn-builder';
import { dataRequestProcess } from './data-request-model';
import { euCallScoutingProcess, euFundingProcess } from './eu-funding-model';
import { procurementProcess } from './procurement-model';
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
];
for (const [file, spec] of targets) {
  writeFileSync(path.join(root, file), buildBpmn(spec));
  console.log(`wrote processes/${file}`);
}

const decisions: [string, DecisionTableSpec][] = [
  ['procurement/procurement-procedure.dmn', procurementProcedureDecision],
  ['eu-funding/eu-call-matching.dmn', euCallMatchingDecision],
  ['data-request/data-request-classification.dmn', dataRequestClassificationDecision],
];
for (const [file, spec] of decisions) {
  writeFileSync(path.join(root, file), buildDmn(spec));
  console.log(`wrote processes/${file}`);
}
