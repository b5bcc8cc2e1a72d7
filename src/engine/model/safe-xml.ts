/**
 * The one guard applied to every XML resource (BPMN and DMN) before a parser sees it: a
 * size limit and no DOCTYPE or ENTITY declaration at all, which rules out external
 * entities and entity expansion ("billion laughs") whatever the parser would do with them.
 * Neither BPMN nor DMN ever needs a DTD.
 */
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
