/**
 * FEEL syntax checks at deploy time, so that a broken expression is a deployment
 * error rather than an incident later. Uses feelin's own grammar (lezer-feel), the
 * same parser evaluation uses, and reports the first error node it finds.
 */
import { parseFeel, type FeelSyntaxKind } from './feel-parse-cache';

export type { FeelSyntaxKind };

/** Returns a description of the first syntax error, or undefined when the text parses. */
export function findFeelSyntaxError(text: string, kind: FeelSyntaxKind): string | undefined {
  if (text.trim() === '') return `empty FEEL ${kind}`;
  const tree = parseFeel(text, kind);
  let errorAt: number | undefined;
  tree.iterate({
    enter(node) {
      if (errorAt !== undefined) return false;
      if (node.type.isError) {
        errorAt = node.from;
        return false;
      }
      return true;
    },
  });
  if (errorAt === undefined) return undefined;
  const near = text.slice(errorAt, errorAt + 20);
  return near === ''
    ? `FEEL ${kind} '${text}' is incomplete (syntax error at its end)`
    : `FEEL ${kind} '${text}' has a syntax error at position ${errorAt + 1} (near '${near}')`;
}
