// Declarations for the browser bundles (src/web/*/client): style sheets imported for
// esbuild and bpmn-io packages that ship no types. Kept loose on purpose: the bundles
// are exercised by the browser tests.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare module '*.css';
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: any;
  export const BpmnPropertiesProviderModule: any;
  export const ZeebePropertiesProviderModule: any;
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const module: any;
  export default module;
}
