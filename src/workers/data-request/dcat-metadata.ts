/**
 * DCAT-AP_IT metadata (the Italian profile of DCAT-AP, AgID) of a dataset produced
 * for a request, as JSON-LD: dcatapit:Dataset with publisher, rights holder, theme,
 * licence and one dcatapit:Distribution per file.
 */
import type { ProvinceConfig } from '../../config';
import type { Variables } from '../context';
import type { DatasetInfo } from './catalogue';
import type { DataRequestSettings } from './settings';

const FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';
const DATA_THEME = 'http://publications.europa.eu/resource/authority/data-theme/';

export interface DcatInput {
  identifier: string;
  info: DatasetInfo;
  title: string;
  description: string;
  keywords: string[];
  files: { documentId: string; fileName: string; format: string }[];
  province: ProvinceConfig;
  settings: DataRequestSettings;
  downloadBaseUrl: string;
  modified: string;
}

export function buildDcatApIt(input: DcatInput): Variables {
  const { province, settings } = input;
  const landingPage = `${settings.openData.catalogueBaseUrl}/${input.identifier}`;
  const agent = {
    '@type': ['foaf:Agent', 'dcatapit:Agent'],
    'foaf:name': province.name,
    'dct:identifier': `p_${province.tenantId}`,
  };
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dcatapit: 'http://dati.gov.it/onto/dcatapit#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      vcard: 'http://www.w3.org/2006/vcard/ns#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    },
    '@id': landingPage,
    '@type': ['dcat:Dataset', 'dcatapit:Dataset'],
    'dct:identifier': input.identifier,
    'dct:title': { '@language': 'it', '@value': input.title },
    'dct:description': { '@language': 'it', '@value': input.description },
    'dct:modified': { '@type': 'xsd:date', '@value': input.modified.slice(0, 10) },
    'dct:issued': { '@type': 'xsd:date', '@value': input.modified.slice(0, 10) },
    'dct:accrualPeriodicity': {
      '@id': 'http://publications.europa.eu/resource/authority/frequency/IRREG',
    },
    'dct:language': { '@id': 'http://publications.europa.eu/resource/authority/language/ITA' },
    'dcat:theme': { '@id': `${DATA_THEME}${input.info.theme}` },
    'dcat:keyword': input.keywords,
    'dct:publisher': agent,
    'dct:rightsHolder': agent,
    'dcat:landingPage': { '@id': landingPage },
    'dcat:contactPoint': {
      '@type': ['dcatapit:Organization', 'vcard:Organization'],
      'vcard:fn': province.name,
      'vcard:hasEmail': province.email ? `mailto:${province.email}` : undefined,
    },
    'dcat:distribution': input.files.map((f) => ({
      '@type': ['dcat:Distribution', 'dcatapit:Distribution'],
      'dct:title': { '@language': 'it', '@value': `${input.title} (${f.format})` },
      'dct:format': { '@id': `${FILE_TYPE}${f.format}` },
      'dcat:accessURL': { '@id': landingPage },
      'dcat:downloadURL': { '@id': `${input.downloadBaseUrl}/${f.documentId}` },
      'dct:license': {
        '@id': settings.openData.license,
        '@type': 'dcatapit:LicenseDocument',
        'foaf:name': settings.openData.licenseName,
      },
    })),
  };
}
