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
declare module '*.bpmnlintrc' {
  const config: any;
  export default config;
}
declare module 'bpmn-js-element-templates' {
  export const CloudElementTemplatesPropertiesProviderModule: any;
}
declare module 'bpmn-js-bpmnlint' {
  const module: any;
  export default module;
}
declare module '@bpmn-io/properties-panel' {
  export const CheckboxEntry: any;
  export const SelectEntry: any;
}
declare module '@bpmn-io/properties-panel/preact' {
  export const createElement: any;
}
declare module 'dmn-js/lib/Modeler' {
  const DmnModeler: any;
  export default DmnModeler;
}
declare module 'bpmn-js-differ' {
  export const diff: any;
}
