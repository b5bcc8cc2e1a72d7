/**
 * Narrow views of the dmn-moddle objects this module reads, and the one call that
 * produces them. Only fields the engine uses are declared.
 */
import { DmnModdle } from 'dmn-moddle';

export interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  label?: string;
}

export interface ModdleText {
  text?: string;
}

export interface ModdleLiteralExpression extends ModdleElement, ModdleText {
  typeRef?: string;
}

export interface ModdleInputClause extends ModdleElement {
  inputExpression?: ModdleLiteralExpression;
}

export interface ModdleOutputClause extends ModdleElement {
  typeRef?: string;
  outputValues?: ModdleText;
}

export interface ModdleRule extends ModdleElement {
  inputEntry?: (ModdleElement & ModdleText)[];
  outputEntry?: (ModdleElement & ModdleText)[];
}

export interface ModdleDecisionTable extends ModdleElement {
  hitPolicy?: string;
  aggregation?: string;
  input?: ModdleInputClause[];
  output?: ModdleOutputClause[];
  rule?: ModdleRule[];
}

export interface ModdleDecision extends ModdleElement {
  informationRequirement?: { requiredDecision?: { href?: string } }[];
  decisionLogic?: ModdleElement;
  /** The decision's variable (name and type of its result). */
  variable?: ModdleElement & { typeRef?: string };
}

export interface ModdleDefinitions extends ModdleElement {
  namespace?: string;
  drgElement?: ModdleElement[];
}

export interface ModdleReadResult {
  definitions: ModdleDefinitions;
  warnings: string[];
}

/** Thrown by readDefinitions when the XML is not a DMN document at all. */
export class UnreadableXmlError extends Error {
  constructor(
    message: string,
    readonly warnings: string[],
  ) {
    super(message);
  }
}

interface ModdleWarning {
  message: string;
}

function warningMessages(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return (value as ModdleWarning[]).map((w) => String(w.message).replace(/\s+/g, ' ').trim());
}

export async function readDefinitions(xml: string): Promise<ModdleReadResult> {
  const moddle = new DmnModdle();
  try {
    const result = (await moddle.fromXML(xml, 'dmn:Definitions')) as {
      rootElement: ModdleDefinitions;
      warnings: unknown;
    };
    return { definitions: result.rootElement, warnings: warningMessages(result.warnings) };
  } catch (error) {
    const err = error as Error & { warnings?: unknown };
    throw new UnreadableXmlError(
      String(err.message).replace(/\s+/g, ' ').trim(),
      warningMessages(err.warnings),
    );
  }
}
