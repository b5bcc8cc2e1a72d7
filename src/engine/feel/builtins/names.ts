/**
 * Names of the functions the engine adds to (or corrects in) feelin's built-ins. The
 * parser must know names with spaces in advance (syntax.ts), so they are listed here,
 * apart from their implementations; builtins/index.ts checks the two agree.
 */
export const EXTENSION_FUNCTION_NAMES = [
  // boolean
  'is defined',
  'get or else',
  'assert',
  // string
  'extract',
  'trim',
  'uuid',
  'to base64',
  'string join',
  // list
  'duplicate values',
  'is empty',
  'partition',
  'min',
  'max',
  'list contains',
  'index of',
  'sum',
  'product',
  'mean',
  // numeric
  'decimal',
  'floor',
  'ceiling',
  'round up',
  'round down',
  'round half up',
  'round half down',
  'modulo',
  'sqrt',
  'abs',
  'random number',
  // context
  'get value',
  'context put',
  'put',
  'put all',
  'context merge',
  // conversion
  'number',
  'string',
  'from json',
  'to json',
  'years and months duration',
  // temporal
  'now',
  'today',
  'last day of month',
  // range
  'before',
  'after',
  'meets',
  'met by',
  'overlaps',
  'overlaps before',
  'overlaps after',
  'finishes',
  'finished by',
  'includes',
  'during',
  'starts',
  'started by',
  'coincides',
  // miscellaneous
  'fromAi',
] as const;
