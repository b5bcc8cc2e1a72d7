/**
 * Every job type used in processes/ has a worker, every worker is used, and every
 * template named in a task header exists for the default province.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { resolveTemplateFile } from '../../src/documents';
import { WORKER_CATALOG } from '../../src/workers/catalog';
import { SERVICE_HANDLERS } from '../../src/workers/service-workers';

const ROOT = path.resolve(__dirname, '..', '..');

function bpmnFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return bpmnFiles(full);
    return name.endsWith('.bpmn') ? [full] : [];
  });
}
const xml = bpmnFiles(path.join(ROOT, 'processes')).map((f) => readFileSync(f, 'utf8'));
const jobTypes = new Set(xml.flatMap((x) => [...x.matchAll(/taskDefinition type="([^"]+)"/g)].map((m) => m[1])));

describe('workers and processes match', () => {
  it('every job type used in processes/ has a handler', () => {
    expect([...jobTypes].filter((t) => !SERVICE_HANDLERS[t])).toEqual([]);
  });

  it('every handler is described in the worker catalogue (the modeler’s element templates)', () => {
    expect(Object.keys(WORKER_CATALOG).sort()).toEqual(Object.keys(SERVICE_HANDLERS).sort());
  });

  it('every handler is used by a process', () => {
    expect(Object.keys(SERVICE_HANDLERS).filter((t) => !jobTypes.has(t))).toEqual([]);
  });

  it('every template named in a task header exists', () => {
    const tasks = xml.flatMap((x) =>
      [...x.matchAll(/<bpmn:serviceTask[\s\S]*?<\/bpmn:serviceTask>/g)].map((m) => m[0]),
    );
    const missing: string[] = [];
    for (const task of tasks) {
      const type = /taskDefinition type="([^"]+)"/.exec(task)?.[1];
      const template = /key="template" value="([^"]+)"/.exec(task)?.[1];
      if (!template) continue;
      const kinds: ('emails' | 'documents')[] =
        type === 'notification.send' || type === 'euFunding.notifyMatches'
          ? ['emails']
          : type === 'procurement.sendInvitations'
            ? ['emails', 'documents']
            : ['documents'];
      for (const kind of kinds) {
        try {
          resolveTemplateFile(kind, template, '039');
        } catch {
          missing.push(`${kind}/${template}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
