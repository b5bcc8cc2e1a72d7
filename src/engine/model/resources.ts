/**
 * Turns deploy request resources into parsed resources (outside the processor, since
 * parsing is asynchronous): BPMN, DMN and form JSON, each validated.
 */
import { EngineError, type ResourceInput } from '../api';
import { parseDmn } from '../dmn';
import type { ParsedResource } from '../processing/commands/deployment';
import { parseBpmn } from './bpmn-parser';
import { checkSafeXml, checkWellFormedXml, MAX_RESOURCE_BYTES } from './safe-xml';

/**
 * Parses every resource of one deploy request and checks what only the whole request
 * shows: one definition per process id and per decision id (Zeebe refuses the
 * deployment rather than pick one of them).
 */
export async function parseResources(resources: ResourceInput[]): Promise<ParsedResource[]> {
  const parsed: ParsedResource[] = [];
  for (const res of resources) parsed.push(await parseResource(res));
  rejectDuplicateIds(parsed);
  return parsed;
}

function rejectDuplicateIds(parsed: ParsedResource[]): void {
  const processes = new Map<string, string>();
  const decisions = new Map<string, string>();
  const drgs = new Map<string, string>();
  const refuse = (what: string, id: string, first: string, second: string) => {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected the ${what} ids to be unique within a deployment, but found a duplicated ${what} id '${id}' in the resources '${first}' and '${second}'`,
    );
  };
  for (const res of parsed) {
    if (res.kind === 'bpmn') {
      for (const p of res.processes) {
        const first = processes.get(p.bpmnProcessId);
        if (first !== undefined) refuse('process', p.bpmnProcessId, first, res.name);
        processes.set(p.bpmnProcessId, res.name);
      }
    } else if (res.kind === 'dmn') {
      const firstDrg = drgs.get(res.drg.id);
      if (firstDrg !== undefined) refuse('decision requirements', res.drg.id, firstDrg, res.name);
      drgs.set(res.drg.id, res.name);
      for (const d of res.drg.decisions) {
        const first = decisions.get(d.id);
        if (first !== undefined) refuse('decision', d.id, first, res.name);
        decisions.set(d.id, res.name);
      }
    }
  }
}

export async function parseResource(res: ResourceInput): Promise<ParsedResource> {
  const name = res.name;
  if (!name) throw new EngineError('INVALID_ARGUMENT', 'every resource needs a name');
  try {
    if (/\.(bpmn|bpmn20\.xml)$/i.test(name)) {
      const xml = checkSafeXml(res.content, name);
      checkWellFormedXml(xml, name);
      return { kind: 'bpmn', name, xml, processes: await parseBpmn(xml, name) };
    }
    if (/\.dmn$/i.test(name)) {
      const xml = checkSafeXml(res.content, name);
      checkWellFormedXml(xml, name);
      return { kind: 'dmn', name, xml, drg: await parseDmn(xml, name) };
    }
    if (/\.form$/i.test(name)) {
      const text = typeof res.content === 'string' ? res.content : res.content.toString('utf8');
      if (Buffer.byteLength(text) > MAX_RESOURCE_BYTES)
        throw new Error(`resource '${name}' is too large`);
      let form: unknown;
      try {
        form = JSON.parse(text);
      } catch (err) {
        throw new Error(`'${name}': invalid form JSON: ${(err as Error).message}`);
      }
      const id = (form as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || !id)
        throw new Error(`'${name}': the form must have a string 'id'`);
      return { kind: 'form', name, json: text, formId: id };
    }
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError(
      'INVALID_ARGUMENT',
      `Command 'CREATE' rejected with code 'INVALID_ARGUMENT': ${(err as Error).message}`,
    );
  }
  throw new EngineError(
    'INVALID_ARGUMENT',
    `resource '${name}': expected a .bpmn, .dmn or .form file`,
  );
}
