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
declare module 'oidc-provider' {
  // Used by tests only (test/support/oidc-provider.ts), which declare the narrow shape they use.
  const Provider: unknown;
  export default Provider;
}
