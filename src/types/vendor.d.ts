// Minimal declarations for dependencies that ship no types of their own.
// Modules that need richer typing declare their own narrow interfaces.
declare module 'bpmn-moddle' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const BpmnModdle: any;
}
declare module 'dmn-moddle' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export const DmnModdle: any;
}
