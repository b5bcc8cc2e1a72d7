/**
 * A strict check of a request's protobuf bytes before they are decoded.
 *
 * protobufjs (under @grpc/proto-loader) is lenient where a gateway must not be: a
 * string or bytes field whose length runs past the end of the message is silently cut
 * short, and a nested message may read past its own end. A truncated PublishMessage
 * would then publish a message with a cut name. This walker reads the wire format
 * (https://protobuf.dev/programming-guides/encoding/) against the message descriptors
 * proto-loader already has, and reports the first problem: every field must fit in its
 * enclosing message, nested messages are checked the same way, strings must be UTF-8.
 */
import type { PackageDefinition } from '@grpc/proto-loader';

interface FieldDescriptor {
  name: string;
  number: number;
  type: string;
  typeName: string;
}

interface MessageDescriptor {
  name: string;
  field: FieldDescriptor[];
}

export type MessageIndex = Map<string, Map<number, FieldDescriptor>>;

/** Message name (without package) → its fields by number. */
export function indexMessages(definition: PackageDefinition, pkg: string): MessageIndex {
  const index: MessageIndex = new Map();
  for (const [name, value] of Object.entries(definition)) {
    const type = (value as { format?: string; type?: MessageDescriptor }).type;
    if (!name.startsWith(`${pkg}.`) || !type?.field) continue;
    index.set(name.slice(pkg.length + 1), new Map(type.field.map((f) => [f.number, f] as const)));
  }
  return index;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Deeper nesting than any gateway message has: refuse rather than recurse further. */
const MAX_NESTING = 16;

class WireProblem extends Error {}

/** Undefined when the bytes are a well-formed `messageName`; otherwise what is wrong. */
export function wireProblem(
  bytes: Buffer,
  messageName: string,
  index: MessageIndex,
): string | undefined {
  try {
    checkMessage(bytes, 0, bytes.length, messageName, index, 0);
    return undefined;
  } catch (err) {
    if (err instanceof WireProblem) return err.message;
    throw err;
  }
}

function checkMessage(
  buf: Buffer,
  start: number,
  end: number,
  messageName: string,
  index: MessageIndex,
  depth: number,
): void {
  if (depth > MAX_NESTING) throw new WireProblem(`messages nested deeper than ${MAX_NESTING}`);
  const fields = index.get(messageName);
  let pos = start;
  const varint = (what: string): number => {
    let result = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new WireProblem(`${messageName}: ${what} is truncated`);
      const b = buf[pos++];
      if (shift < 53) result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
    throw new WireProblem(`${messageName}: ${what} is longer than 10 bytes`);
  };
  while (pos < end) {
    const tag = varint('a field tag');
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    const field = fields?.get(number);
    const label = field ? `field '${field.name}'` : `field ${number}`;
    if (number === 0) throw new WireProblem(`${messageName}: field number 0 is not allowed`);
    switch (wireType) {
      case 0:
        varint(label);
        break;
      case 1:
      case 5: {
        const size = wireType === 1 ? 8 : 4;
        if (pos + size > end) throw new WireProblem(`${messageName}: ${label} is truncated`);
        pos += size;
        break;
      }
      case 2: {
        const length = varint(`the length of ${label}`);
        if (pos + length > end) {
          throw new WireProblem(
            `${messageName}: ${label} declares ${length} bytes but only ${end - pos} remain (truncated message)`,
          );
        }
        if (field?.type === 'TYPE_MESSAGE') {
          const typeName = field.typeName.replace(/^\./, '').replace(/^gateway_protocol\./, '');
          checkMessage(buf, pos, pos + length, typeName, index, depth + 1);
        } else if (field?.type === 'TYPE_STRING') {
          try {
            utf8.decode(buf.subarray(pos, pos + length));
          } catch {
            throw new WireProblem(`${messageName}: ${label} is not valid UTF-8`);
          }
        }
        pos += length;
        break;
      }
      default:
        throw new WireProblem(`${messageName}: ${label} has the unsupported wire type ${wireType}`);
    }
  }
}
