/**
 * The searchable resources of the Camunda 8.8 REST API v2 as the built-in engine serves
 * them from its history collections: for each, the filter fields and sort fields the API
 * defines (mapped to history document fields) and how a document becomes an API item.
 *
 * Not served (answered 400 as unknown filter fields): process-instance `batchOperationId`,
 * `hasRetriesLeft`, `elementInstanceState`, `hasElementInstanceIncident`,
 * `incidentErrorHashCode` and `$or`. Version tags do not exist in the built-in engine, so
 * `versionTag` filters match nothing (and `$exists: false` everything).
 */
import type mongoose from 'mongoose';
import type { HistoryKind } from '../history/history-collections';
import type { HistoryQueryIndex } from '../history/query-index';
import type { ElementNames } from './element-names';
import { badRequest } from './problem';
import { historyCollections, type HistoryDoc } from './search-executor';
import {
  fieldCondition,
  type FieldType,
  type FilterField,
  type MongoFilter,
  type SearchSpec,
} from './search-request';

export const ELEMENT_TYPES = [
  'UNSPECIFIED',
  'PROCESS',
  'SUB_PROCESS',
  'EVENT_SUB_PROCESS',
  'AD_HOC_SUB_PROCESS',
  'START_EVENT',
  'INTERMEDIATE_CATCH_EVENT',
  'INTERMEDIATE_THROW_EVENT',
  'BOUNDARY_EVENT',
  'END_EVENT',
  'SERVICE_TASK',
  'RECEIVE_TASK',
  'USER_TASK',
  'MANUAL_TASK',
  'TASK',
  'EXCLUSIVE_GATEWAY',
  'INCLUSIVE_GATEWAY',
  'PARALLEL_GATEWAY',
  'EVENT_BASED_GATEWAY',
  'SEQUENCE_FLOW',
  'MULTI_INSTANCE_BODY',
  'CALL_ACTIVITY',
  'BUSINESS_RULE_TASK',
  'SCRIPT_TASK',
  'SEND_TASK',
  'UNKNOWN',
] as const;

export const INCIDENT_ERROR_TYPES = [
  'UNSPECIFIED',
  'UNKNOWN',
  'IO_MAPPING_ERROR',
  'JOB_NO_RETRIES',
  'EXECUTION_LISTENER_NO_RETRIES',
  'TASK_LISTENER_NO_RETRIES',
  'CONDITION_ERROR',
  'EXTRACT_VALUE_ERROR',
  'CALLED_ELEMENT_ERROR',
  'UNHANDLED_ERROR_EVENT',
  'MESSAGE_SIZE_EXCEEDED',
  'CALLED_DECISION_ERROR',
  'DECISION_EVALUATION_ERROR',
  'FORM_NOT_FOUND',
  'RESOURCE_NOT_FOUND',
] as const;

/** Values longer than this are cut in search answers unless `truncateValues=false`. */
export const VARIABLE_TRUNCATION = 8191;

export interface ResourceContext {
  connection: mongoose.Connection;
  names: ElementNames;
  truncateValues: boolean;
}

export interface Resource {
  kind: HistoryKind;
  spec: SearchSpec;
  /** Fields not read from the documents. */
  exclude?: string[];
  toItems(docs: HistoryDoc[], ctx: ResourceContext): Promise<Record<string, unknown>[]>;
}

const f = (type: FieldType, path?: string): FilterField => ({ type, path });
const STATES = { enum: ['ACTIVE', 'COMPLETED', 'TERMINATED'] } as const;

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : undefined);
/** Drops undefined and null fields: the API leaves absent values out. */
function item(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in fields) {
    const v = fields[k];
    if (v !== undefined && v !== null) out[k] = v;
  }
  return out;
}

function booleanOf(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw badRequest(`${where}: expected a boolean`);
  return value;
}

/** The process instance keys of the history entities of `kind` matching `filter`. */
async function instanceKeysWhere(
  connection: mongoose.Connection,
  kind: HistoryKind,
  filter: MongoFilter,
  index: HistoryQueryIndex | undefined,
): Promise<string[]> {
  const indexed = index?.matching(kind, filter);
  if (indexed) return [...new Set(indexed.map((d) => String(d.processInstanceKey)))];
  const lists = await Promise.all(
    historyCollections(connection, kind).map((c) =>
      c
        .find(filter as mongoose.mongo.Filter<HistoryDoc>, {
          projection: { processInstanceKey: 1 },
        })
        .toArray(),
    ),
  );
  return [...new Set(lists.flat().map((d) => String(d.processInstanceKey)))];
}

/** `variables: [{ name, value }]`: instances having every one of these variables (any scope). */
function variablesFilter(
  connection: mongoose.Connection,
  index: HistoryQueryIndex | undefined,
): FilterField {
  return {
    type: 'string',
    async build(value, where, scope) {
      if (!Array.isArray(value)) throw badRequest(`${where}: expected an array of { name, value }`);
      const conditions: MongoFilter[] = [];
      for (const [i, entry] of value.entries()) {
        const at = `${where}[${i}]`;
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
          throw badRequest(`${at}: expected an object with name and value`);
        }
        const { name, value: v, ...rest } = entry as Record<string, unknown>;
        const extra = Object.keys(rest)[0];
        if (extra) throw badRequest(`${at}.${extra}: unknown property; expected name and value`);
        if (typeof name !== 'string' || name === '') {
          throw badRequest(`${at}.name: expected the variable's name`);
        }
        const keys = await instanceKeysWhere(
          connection,
          'variables',
          {
            $and: [scope, { name }, { value: fieldCondition('string', v, `${at}.value`) }],
          },
          index,
        );
        conditions.push({ key: { $in: keys } });
      }
      return conditions.length ? { $and: conditions } : {};
    },
  };
}

/** Definitions in scope whose field matches; used for name and latest-version filters. */
async function definitionsWhere(
  connection: mongoose.Connection,
  filter: MongoFilter,
  index?: HistoryQueryIndex,
): Promise<HistoryDoc[]> {
  const indexed = index?.matching('processDefinitions', filter);
  if (indexed) return indexed;
  const [finished] = historyCollections(connection, 'processDefinitions');
  return finished
    .find(filter as mongoose.mongo.Filter<HistoryDoc>, { projection: { resource: 0 } })
    .toArray();
}

// ------------------------------------------------------------------ process definitions

function processDefinitions(
  connection: mongoose.Connection,
  index: HistoryQueryIndex | undefined,
): Resource {
  return {
    kind: 'processDefinitions',
    exclude: ['resource'],
    spec: {
      entity: 'process definition',
      filter: {
        processDefinitionKey: f('key', 'key'),
        processDefinitionId: f('string', 'bpmnProcessId'),
        name: f('string', 'name'),
        resourceName: f('string', 'resourceName'),
        version: f('integer', 'version'),
        versionTag: f('string', 'versionTag'),
        tenantId: f('string', 'tenantId'),
        hasStartForm: {
          type: 'boolean',
          // Start forms are not linked to definitions in the built-in engine.
          build: (v, where) => (booleanOf(v, where) ? { _id: { $exists: false } } : {}),
        },
        isLatestVersion: {
          type: 'boolean',
          async build(v, where, scope) {
            const latest = booleanOf(v, where);
            const all = await definitionsWhere(connection, scope, index);
            const newest = new Map<string, HistoryDoc>();
            for (const d of all) {
              const id = `${String(d.tenantId)}\n${String(d.bpmnProcessId)}`;
              const cur = newest.get(id);
              if (!cur || Number(d.version) > Number(cur.version)) newest.set(id, d);
            }
            const keys = [...newest.values()].map((d) => d._id);
            return { _id: latest ? { $in: keys } : { $nin: keys } };
          },
        },
      },
      sort: {
        processDefinitionKey: 'key',
        processDefinitionId: 'bpmnProcessId',
        name: 'name',
        resourceName: 'resourceName',
        version: 'version',
        versionTag: 'versionTag',
        tenantId: 'tenantId',
      },
      defaultSort: [{ path: 'key', order: 'ASC' }],
    },
    async toItems(docs) {
      return docs.map((d) =>
        item({
          processDefinitionKey: d.key,
          processDefinitionId: d.bpmnProcessId,
          name: d.name || d.bpmnProcessId,
          resourceName: d.resourceName,
          version: d.version,
          tenantId: d.tenantId,
          hasStartForm: false,
        }),
      );
    },
  };
}

// ------------------------------------------------------------------ process instances

function processInstances(
  connection: mongoose.Connection,
  index: HistoryQueryIndex | undefined,
): Resource {
  return {
    kind: 'processInstances',
    spec: {
      entity: 'process instance',
      filter: {
        processInstanceKey: f('key', 'key'),
        processDefinitionId: f('string', 'bpmnProcessId'),
        processDefinitionName: {
          type: 'string',
          async build(v, where, scope) {
            const defs = await definitionsWhere(
              connection,
              { $and: [scope, { name: fieldCondition('string', v, where) }] },
              index,
            );
            return { processDefinitionKey: { $in: defs.map((d) => d._id) } };
          },
        },
        processDefinitionVersion: f('integer', 'version'),
        processDefinitionVersionTag: f('string', 'versionTag'),
        processDefinitionKey: f('key', 'processDefinitionKey'),
        parentProcessInstanceKey: f('key', 'parentProcessInstanceKey'),
        parentElementInstanceKey: f('key', 'parentElementInstanceKey'),
        parentFlowNodeInstanceKey: f('key', 'parentElementInstanceKey'),
        startDate: f('date', 'startDate'),
        endDate: f('date', 'endDate'),
        state: f(STATES, 'state'),
        tenantId: f('string', 'tenantId'),
        hasIncident: {
          type: 'boolean',
          build: (v, where) => ({ 'incidentKeys.0': { $exists: booleanOf(v, where) } }),
        },
        variables: variablesFilter(connection, index),
        errorMessage: {
          type: 'string',
          async build(v, where, scope) {
            const keys = await instanceKeysWhere(
              connection,
              'incidents',
              {
                $and: [
                  scope,
                  { state: 'ACTIVE' },
                  { errorMessage: fieldCondition('string', v, where) },
                ],
              },
              index,
            );
            return { key: { $in: keys } };
          },
        },
        elementId: {
          type: 'string',
          async build(v, where, scope) {
            const keys = await instanceKeysWhere(
              connection,
              'elementInstances',
              {
                $and: [scope, { elementId: fieldCondition('string', v, where) }],
              },
              index,
            );
            return { key: { $in: keys } };
          },
        },
      },
      sort: {
        processInstanceKey: 'key',
        processDefinitionId: 'bpmnProcessId',
        processDefinitionName: 'bpmnProcessId',
        processDefinitionVersion: 'version',
        processDefinitionVersionTag: 'versionTag',
        processDefinitionKey: 'processDefinitionKey',
        parentProcessInstanceKey: 'parentProcessInstanceKey',
        parentElementInstanceKey: 'parentElementInstanceKey',
        parentFlowNodeInstanceKey: 'parentElementInstanceKey',
        startDate: 'startDate',
        endDate: 'endDate',
        state: 'state',
        hasIncident: 'incidentKeys.0',
        tenantId: 'tenantId',
      },
      defaultSort: [{ path: 'key', order: 'ASC' }],
    },
    async toItems(docs, ctx) {
      const names = await Promise.all(
        docs.map((d) => ctx.names.of(String(d.processDefinitionKey))),
      );
      return docs.map((d, i) =>
        item({
          processInstanceKey: d.key,
          processDefinitionId: d.bpmnProcessId,
          processDefinitionName: names[i].processName || d.bpmnProcessId,
          processDefinitionVersion: d.version,
          processDefinitionKey: d.processDefinitionKey,
          parentProcessInstanceKey: d.parentProcessInstanceKey,
          parentElementInstanceKey: d.parentElementInstanceKey,
          startDate: iso(d.startDate),
          endDate: iso(d.endDate),
          state: d.state,
          hasIncident: Array.isArray(d.incidentKeys) && d.incidentKeys.length > 0,
          tenantId: d.tenantId,
        }),
      );
    },
  };
}

// ------------------------------------------------------------------ element instances

function elementInstances(
  connection: mongoose.Connection,
  names: ElementNames,
  index: HistoryQueryIndex | undefined,
): Resource {
  return {
    kind: 'elementInstances',
    spec: {
      entity: 'element instance',
      filter: {
        elementInstanceKey: f('key', 'key'),
        processInstanceKey: f('key', 'processInstanceKey'),
        processDefinitionKey: f('key', 'processDefinitionKey'),
        processDefinitionId: f('string', 'bpmnProcessId'),
        elementId: f('string', 'elementId'),
        elementName: {
          type: 'string',
          async build(v, where, scope) {
            const pattern = fieldCondition('string', v, where);
            const defs = await definitionsWhere(connection, scope, index);
            const matches: MongoFilter[] = [];
            for (const d of defs) {
              const ids = [...(await names.of(d._id)).elements]
                .filter(([, name]) => nameMatches(name, pattern))
                .map(([id]) => id);
              if (ids.length)
                matches.push({ processDefinitionKey: d._id, elementId: { $in: ids } });
            }
            return matches.length ? { $or: matches } : { _id: { $exists: false } };
          },
        },
        type: f({ enum: ELEMENT_TYPES }, 'bpmnElementType'),
        state: f(STATES, 'state'),
        hasIncident: {
          type: 'boolean',
          build: (v, where) => ({ incidentKey: booleanOf(v, where) ? { $ne: null } : null }),
        },
        incidentKey: f('key', 'incidentKey'),
        elementInstanceScopeKey: f('key', 'flowScopeKey'),
        startDate: f('date', 'startDate'),
        endDate: f('date', 'endDate'),
        tenantId: f('string', 'tenantId'),
      },
      sort: {
        elementInstanceKey: 'key',
        processInstanceKey: 'processInstanceKey',
        processDefinitionKey: 'processDefinitionKey',
        processDefinitionId: 'bpmnProcessId',
        startDate: 'startDate',
        endDate: 'endDate',
        elementId: 'elementId',
        elementName: 'elementId',
        type: 'bpmnElementType',
        state: 'state',
        incidentKey: 'incidentKey',
        tenantId: 'tenantId',
      },
      defaultSort: [{ path: 'key', order: 'ASC' }],
    },
    async toItems(docs, ctx) {
      const defs = await Promise.all(docs.map((d) => ctx.names.of(String(d.processDefinitionKey))));
      return docs.map((d, i) =>
        item({
          elementInstanceKey: d.key,
          processInstanceKey: d.processInstanceKey,
          processDefinitionKey: d.processDefinitionKey,
          processDefinitionId: d.bpmnProcessId,
          elementId: d.elementId,
          elementName: defs[i].elements.get(String(d.elementId)) ?? d.elementId,
          type: d.bpmnElementType,
          state: d.state,
          hasIncident: typeof d.incidentKey === 'string',
          incidentKey: d.incidentKey,
          startDate: iso(d.startDate),
          endDate: iso(d.endDate),
          tenantId: d.tenantId,
        }),
      );
    },
  };
}

/** Applies a parsed string condition (value, $eq, $ne, $in, $nin, $regex) to a name. */
function nameMatches(name: string, cond: unknown): boolean {
  if (typeof cond === 'string') return name === cond;
  const c = cond as Record<string, unknown>;
  if ('$eq' in c && c.$eq !== null && name !== c.$eq) return false;
  if ('$ne' in c && c.$ne !== null && name === c.$ne) return false;
  if (Array.isArray(c.$in) && !c.$in.includes(name)) return false;
  if (Array.isArray(c.$nin) && c.$nin.includes(name)) return false;
  if (c.$regex instanceof RegExp && !c.$regex.test(name)) return false;
  return true;
}

// ------------------------------------------------------------------ incidents

function incidents(): Resource {
  const spec: SearchSpec = {
    entity: 'incident',
    filter: {
      incidentKey: f('key', 'key'),
      processDefinitionKey: f('key', 'processDefinitionKey'),
      processDefinitionId: f('string', 'bpmnProcessId'),
      processInstanceKey: f('key', 'processInstanceKey'),
      errorType: f({ enum: INCIDENT_ERROR_TYPES }, 'errorType'),
      errorMessage: f('string', 'errorMessage'),
      elementId: f('string', 'elementId'),
      elementInstanceKey: f('key', 'elementInstanceKey'),
      creationTime: f('date', 'creationTime'),
      state: f({ enum: ['ACTIVE', 'MIGRATED', 'RESOLVED', 'PENDING'] }, 'state'),
      jobKey: f('key', 'jobKey'),
      tenantId: f('string', 'tenantId'),
    },
    sort: {
      incidentKey: 'key',
      processDefinitionKey: 'processDefinitionKey',
      processDefinitionId: 'bpmnProcessId',
      processInstanceKey: 'processInstanceKey',
      errorType: 'errorType',
      errorMessage: 'errorMessage',
      elementId: 'elementId',
      elementInstanceKey: 'elementInstanceKey',
      creationTime: 'creationTime',
      state: 'state',
      jobKey: 'jobKey',
      tenantId: 'tenantId',
    },
    defaultSort: [{ path: 'key', order: 'ASC' }],
  };
  return {
    kind: 'incidents',
    spec,
    async toItems(docs) {
      return docs.map((d) =>
        item({
          incidentKey: d.key,
          processDefinitionKey: d.processDefinitionKey,
          processDefinitionId: d.bpmnProcessId,
          processInstanceKey: d.processInstanceKey,
          errorType: d.errorType,
          errorMessage: d.errorMessage ?? '',
          elementId: d.elementId,
          elementInstanceKey: d.elementInstanceKey,
          creationTime: iso(d.creationTime),
          state: d.state,
          jobKey: d.jobKey,
          tenantId: d.tenantId,
        }),
      );
    },
  };
}

// ------------------------------------------------------------------ variables

const LONG_VALUE = new RegExp(`^[\\s\\S]{${VARIABLE_TRUNCATION + 1}}`);

function variables(): Resource {
  return {
    kind: 'variables',
    spec: {
      entity: 'variable',
      filter: {
        variableKey: f('string', '_id'),
        name: f('string', 'name'),
        value: f('string', 'value'),
        scopeKey: f('key', 'scopeKey'),
        processInstanceKey: f('key', 'processInstanceKey'),
        tenantId: f('string', 'tenantId'),
        isTruncated: {
          type: 'boolean',
          build: (v, where) =>
            booleanOf(v, where)
              ? { value: { $regex: LONG_VALUE } }
              : { value: { $not: LONG_VALUE } },
        },
      },
      sort: {
        variableKey: '_id',
        name: 'name',
        value: 'value',
        scopeKey: 'scopeKey',
        processInstanceKey: 'processInstanceKey',
        tenantId: 'tenantId',
      },
      defaultSort: [{ path: '_id', order: 'ASC' }],
    },
    async toItems(docs, ctx) {
      return docs.map((d) => {
        const value = String(d.value ?? 'null');
        const truncated = ctx.truncateValues && value.length > VARIABLE_TRUNCATION;
        return item({
          variableKey: d._id,
          name: d.name,
          value: truncated ? value.slice(0, VARIABLE_TRUNCATION) : value,
          isTruncated: truncated,
          scopeKey: d.scopeKey,
          processInstanceKey: d.processInstanceKey,
          tenantId: d.tenantId,
        });
      });
    },
  };
}

export type ResourceName =
  'process-definitions' | 'process-instances' | 'element-instances' | 'incidents' | 'variables';

export function createResources(
  connection: mongoose.Connection,
  names: ElementNames,
  index?: HistoryQueryIndex,
): Record<ResourceName, Resource> {
  return {
    'process-definitions': processDefinitions(connection, index),
    'process-instances': processInstances(connection, index),
    'element-instances': elementInstances(connection, names, index),
    incidents: incidents(),
    variables: variables(),
  };
}
