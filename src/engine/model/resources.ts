/**
 * Turns deploy request resources into parsed resources (outside the processor, since
 * parsing is asynchronous): BPMN, DMN and form JSON, each validated.
 */
import { EngineError, type ResourceInput } from '../api';
import { parseDmn } from '../dmn';
import type { ParsedResource } from '../processing/commands/deployment';
import { parseBpmn } from './bpmn-parser';
import { checkSafeXml, MAX_RESOURCE_BYTES } from './safe-xml';

export async function parseResource(res: ResourceInput): Promise<ParsedResource> {
  const name = res.name;
  if (!name) throw new EngineError('INVALID_ARGUMENT', 'every resource needs a name');
  try {
    if (/\.(bpmn|bpmn20\.xml)$/i.test(name)) {
      const xml = checkSafeXml(res.content, name);
      return { kind: 'bpmn', name, xml, processes: await parseBpmn(xml, name) };
    }
    if (/\.dmn$/i.test(name)) {
      const xml = checkSafeXml(res.content, name);
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
