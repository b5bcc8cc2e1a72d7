/** One processor per BPMN element type, looked up by the instance's type. */
import type { BpmnElementType } from '../../model/types';
import { callActivityProcessor } from './container/call-activity';
import { flowContainerProcessor } from './container/flow-container';
import { multiInstanceBodyProcessor } from './container/multi-instance-body';
import { processProcessor } from './container/process';
import type { ElementProcessor } from './element-processor';
import {
  boundaryEventProcessor,
  endEventProcessor,
  intermediateCatchEventProcessor,
  intermediateThrowEventProcessor,
  startEventProcessor,
} from './event/events';
import {
  eventBasedGatewayProcessor,
  exclusiveGatewayProcessor,
  inclusiveGatewayProcessor,
  parallelGatewayProcessor,
} from './gateway/gateways';
import {
  businessRuleTaskProcessor,
  jobWorkerTaskProcessor,
  passThroughTaskProcessor,
  receiveTaskProcessor,
  scriptTaskProcessor,
} from './task/tasks';

const processors: Record<Exclude<BpmnElementType, 'SEQUENCE_FLOW'>, ElementProcessor> = {
  PROCESS: processProcessor,
  SUB_PROCESS: flowContainerProcessor,
  EVENT_SUB_PROCESS: flowContainerProcessor,
  MULTI_INSTANCE_BODY: multiInstanceBodyProcessor,
  CALL_ACTIVITY: callActivityProcessor,
  START_EVENT: startEventProcessor,
  END_EVENT: endEventProcessor,
  INTERMEDIATE_CATCH_EVENT: intermediateCatchEventProcessor,
  INTERMEDIATE_THROW_EVENT: intermediateThrowEventProcessor,
  BOUNDARY_EVENT: boundaryEventProcessor,
  EXCLUSIVE_GATEWAY: exclusiveGatewayProcessor,
  INCLUSIVE_GATEWAY: inclusiveGatewayProcessor,
  PARALLEL_GATEWAY: parallelGatewayProcessor,
  EVENT_BASED_GATEWAY: eventBasedGatewayProcessor,
  SERVICE_TASK: jobWorkerTaskProcessor,
  SEND_TASK: jobWorkerTaskProcessor,
  USER_TASK: jobWorkerTaskProcessor,
  SCRIPT_TASK: scriptTaskProcessor,
  BUSINESS_RULE_TASK: businessRuleTaskProcessor,
  RECEIVE_TASK: receiveTaskProcessor,
  MANUAL_TASK: passThroughTaskProcessor,
  TASK: passThroughTaskProcessor,
};

export function processorFor(type: BpmnElementType): ElementProcessor {
  const p = processors[type as Exclude<BpmnElementType, 'SEQUENCE_FLOW'>];
  if (!p) throw new Error(`no processor for element type ${type}`);
  return p;
}
