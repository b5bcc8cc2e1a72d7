/**
 * The one guard applied to every XML resource (BPMN and DMN) before a parser sees it: a
 * size limit and no DOCTYPE or ENTITY declaration at all, which rules out external
 * entities and entity expansion ("billion laughs") whatever the parser would do with them.
 * Neither BPMN nor DMN ever needs a DTD. On deploy, also well-formed XML 1.0
 * (checkWellFormedXml).
 *
 * The model parsers (bpmn-moddle, dmn-moddle on saxen) are lenient: they skip text
 * before the root element, keep `&undefined;` and `&amp` without `;` as text, accept
 * `&#0;` and raw NUL characters. A deploy must refuse such a document, so it is first
 * read by saxes, a strict, maintained XML 1.0 well-formedness parser.
 */
import { SaxesParser } from 'saxes';

export const MAX_RESOURCE_BYTES = 4 * 1024 * 1024;

export class ResourceRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceRejected';
  }
}

/** What makes the XML unsafe to parse, or undefined when it may be parsed. */
export function unsafeXmlProblem(xml: string, maxBytes = MAX_RESOURCE_BYTES): string | undefined {
  const size = Buffer.byteLength(xml, 'utf8');
  if (size > maxBytes) return `resource is ${size} bytes, above the limit of ${maxBytes} bytes`;
  if (/<!DOCTYPE/i.test(xml)) return 'DOCTYPE declarations are not allowed (no DTDs, no entities)';
  if (/<!ENTITY/i.test(xml)) return 'ENTITY declarations are not allowed';
  return undefined;
}

/** Returns the resource's text; throws ResourceRejected naming the resource and the problem. */
export function checkSafeXml(
  content: Buffer | string,
  resourceName: string,
  maxBytes = MAX_RESOURCE_BYTES,
): string {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > maxBytes) {
    throw new ResourceRejected(
      `resource '${resourceName}' is ${size} bytes, above the limit of ${maxBytes} bytes`,
    );
  }
  const text = typeof content === 'string' ? content : content.toString('utf8');
  const problem = unsafeXmlProblem(text, maxBytes);
  if (problem) throw new ResourceRejected(`resource '${resourceName}': ${problem}`);
  return text;
}

/**
 * Refuses a document that is not well-formed XML 1.0, naming the line, the column and
 * the problem (the first one saxes reports). A byte order mark is allowed.
 */
export function checkWellFormedXml(text: string, resourceName: string): void {
  const parser = new SaxesParser({ xmlns: false, position: true });
  let problem: string | undefined;
  parser.on('error', (err) => {
    problem ??= err.message;
  });
  try {
    parser.write(text.startsWith('\uFEFF') ? text.slice(1) : text);
    parser.close();
  } catch (err) {
    problem ??= (err as Error).message;
  }
  if (problem) {
    throw new ResourceRejected(
      `resource '${resourceName}' is not well-formed XML: ${describeSaxesError(problem)}`,
    );
  }
}

/** saxes says "3:14: undefined entity."; make it read "line 3, column 14: undefined entity". */
function describeSaxesError(message: string): string {
  const m = /^(?:[^:]*:)?(\d+):(\d+): (.*?)\.?$/s.exec(message.trim());
  if (!m) return message;
  const [, line, column, what] = m;
  const hint = /unclosed tag|unexpected end/i.test(what)
    ? ' (an unclosed element, or an & that does not start an entity such as &amp;)'
    : '';
  return `line ${line}, column ${column}: ${what}${hint}`;
}
