/**
 * dmn-moddle reads DMN 1.3 only. DMN 1.1 and 1.2 models (older Camunda Modeler files)
 * use the same element names for everything the engine evaluates, so their namespace
 * URIs are rewritten to DMN 1.3 before parsing. Diagram details that differ only
 * produce moddle warnings, which do not block deployment.
 */
const DMN13_MODEL = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
const DMN13_DMNDI = 'https://www.omg.org/spec/DMN/20191111/DMNDI/';

const LEGACY_TO_DMN13: Record<string, string> = {
  'http://www.omg.org/spec/DMN/20151101/dmn.xsd': DMN13_MODEL,
  'http://www.omg.org/spec/DMN/20180521/MODEL/': DMN13_MODEL,
  'http://www.omg.org/spec/DMN/20180521/DMNDI/': DMN13_DMNDI,
};

export function upgradeLegacyNamespaces(xml: string): string {
  return xml.replace(/(xmlns(?::[\w.-]+)?\s*=\s*)(["'])([^"']*)\2/g, (whole, attr, quote, uri) => {
    const modern = LEGACY_TO_DMN13[uri as string];
    return modern === undefined ? whole : `${attr}${quote}${modern}${quote}`;
  });
}
