/**
 * Guards applied to every XML resource before a parser sees it: a size limit and no
 * DOCTYPE at all, which rules out external entities and entity expansion ("billion
 * laughs") whatever the parser would do with them.
 */
export const MAX_RESOURCE_BYTES = 4 * 1024 * 1024;

export class ResourceRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceRejected';
  }
}

export function checkSafeXml(content: Buffer | string, resourceName: string): string {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > MAX_RESOURCE_BYTES) {
    throw new ResourceRejected(
      `resource '${resourceName}' is ${size} bytes, more than the limit of ${MAX_RESOURCE_BYTES} bytes`,
    );
  }
  const text = typeof content === 'string' ? content : content.toString('utf8');
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new ResourceRejected(
      `resource '${resourceName}' contains a DOCTYPE or ENTITY declaration, which is not allowed`,
    );
  }
  return text;
}
