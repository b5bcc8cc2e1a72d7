/**
 * Test helpers for the engine conformance suite: a real engine on a real database,
 * BPMN wrappers and small wait helpers on the durable log.
 */
import { createEngine, type Engine, type EngineOptions } from '../../src/engine';
import type { LogRecord } from '../../src/engine/log/record';
import { openTestDatabase, type TestDatabase } from '../support/database';

export interface TestEngine {
  db: TestDatabase;
  engine: Engine;
  restart(opts?: Partial<EngineOptions>): Promise<Engine>;
  close(): Promise<void>;
}

export async function startTestEngine(opts: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const db = await openTestDatabase('eng');
  const t: TestEngine = {
    db,
    engine: await createEngine({ connection: db.connection, exporters: false, ...opts }),
    async restart(more = {}) {
      await t.engine.close();
      t.engine = await createEngine({
        connection: db.connection,
        exporters: false,
        ...opts,
        ...more,
      });
      return t.engine;
    },
    async close() {
      await t.engine.close();
      await db.close();
    },
  };
  return t;
}

export { ZEEBE_NS, bpmn, serviceTask, flow, chain } from '../support/bpmn-xml';

export async function deploy(engine: Engine, name: string, xml: string, tenantId?: string) {
  return engine.deployResource({ resources: [{ name, content: xml }], tenantId });
}

export async function records(
  engine: Engine,
  filter: Partial<LogRecord> = {},
): Promise<LogRecord[]> {
  const all = await engine.readLog(0);
  return all.filter((r) =>
    Object.entries(filter).every(([k, v]) => (r as unknown as Record<string, unknown>)[k] === v),
  );
}

/** Polls until `check` returns a value (not undefined/false); fails after `ms`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  ms = 5000,
): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false && v !== null) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Element instance lifecycle events of one process instance, as "elementId:INTENT". */
export async function trail(engine: Engine, processInstanceKey: string): Promise<string[]> {
  const rs = await records(engine, { valueType: 'PROCESS_INSTANCE', recordType: 'EVENT' });
  return rs
    .filter((r) => String(r.value.processInstanceKey) === processInstanceKey)
    .map((r) => `${String(r.value.elementId)}:${r.intent}`);
}

export async function isCompleted(engine: Engine, processInstanceKey: string): Promise<boolean> {
  const t = await trail(engine, processInstanceKey);
  const last = await records(engine, {
    valueType: 'PROCESS_INSTANCE',
    intent: 'ELEMENT_COMPLETED',
  });
  return t.length > 0 && last.some((r) => r.key === Number(processInstanceKey));
}

export async function incidents(engine: Engine, processInstanceKey?: string) {
  const created = await records(engine, { valueType: 'INCIDENT', intent: 'CREATED' });
  const resolved = new Set(
    (await records(engine, { valueType: 'INCIDENT', intent: 'RESOLVED' })).map((r) => r.key),
  );
  return created.filter(
    (r) =>
      !resolved.has(r.key) &&
      (!processInstanceKey || String(r.value.processInstanceKey) === processInstanceKey),
  );
}

export async function variablesOf(
  engine: Engine,
  scopeKey: string,
): Promise<Record<string, unknown>> {
  const rs = await records(engine, { valueType: 'VARIABLE', recordType: 'EVENT' });
  const out: Record<string, unknown> = {};
  for (const r of rs)
    if (String(r.value.scopeKey) === scopeKey)
      out[String(r.value.name)] = JSON.parse(String(r.value.value));
  return out;
}
