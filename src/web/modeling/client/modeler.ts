/**
 * The BPMN modeler page (/modellazione/processi/:id): bpmn-js Modeler with the Zeebe
 * properties panel and the Camunda 8 behaviours, Italian texts, element templates of the
 * product's workers, pickers for the province's forms and roles, live lint with the
 * camunda-cloud-8-5 rules in a problems panel, search by name or id, keyboard shortcuts,
 * links from a call activity to the called process, and a draft that is autosaved on the
 * server and kept in the browser until the server has it.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-element-templates/dist/assets/element-templates.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import './modeler.css';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  ZeebePropertiesProviderModule,
} from 'bpmn-js-properties-panel';
import { CloudElementTemplatesPropertiesProviderModule } from 'bpmn-js-element-templates';
import lintModule from 'bpmn-js-bpmnlint';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import lintConfig from '../../../modeling/camunda-cloud-8-5.bpmnlintrc';
import {
  Autosave,
  bindEditorShortcuts,
  draftStatus,
  enhanceSaveVersion,
  fmt,
  LocalDraft,
  offerRecovery,
  pageData,
  type PageTexts,
} from './common';
import { createPickersModule } from './pickers';
import { ProblemsPanel } from './problems';
import { createTranslateModule, translatePanelTexts } from './translate';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

interface ModelerData {
  id: string;
  key: string;
  revision: number;
  xml: string;
  latestVersion: number;
  focus?: string;
  locale: string;
  catalogue: Record<string, string>;
  texts: PageTexts;
  elementTemplates: unknown[];
  forms: { key: string; name: string }[];
  roles: { value: string; label: string }[];
  processes: { key: string; name: string; href: string }[];
  decisions: { key: string; name: string; href: string }[];
}

function extensionOf(bo: Any, type: string): Any {
  return (bo?.extensionElements?.values ?? []).find((v: Any) => v.$type === type);
}

async function main(): Promise<void> {
  const data = pageData<ModelerData>();
  const canvas = document.getElementById('pc-canvas')!;
  const modeler: Any = new BpmnModeler({
    container: canvas,
    keyboard: { bind: true },
    propertiesPanel: {
      parent: '#pc-properties',
      layout: { groups: { 'pc-province': { open: true } } },
    },
    linting: { bpmnlint: lintConfig, active: true },
    elementTemplates: data.elementTemplates,
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      ZeebePropertiesProviderModule,
      CloudElementTemplatesPropertiesProviderModule,
      ZeebeBehaviorsModule,
      lintModule,
      createTranslateModule(data.catalogue, data.locale === 'it'),
      createPickersModule({ forms: data.forms, roles: data.roles, texts: data.texts }),
    ],
    moddleExtensions: { zeebe: zeebeModdle },
  });
  (window as Any).pcModeler = modeler;
  translatePanelTexts(document.getElementById('pc-properties')!, data.catalogue);

  const local = new LocalDraft(data.id);
  const autosave = new Autosave(data.id, data.revision, local, draftStatus, data.texts);
  const problems = new ProblemsPanel(
    modeler,
    document.getElementById('pc-problems')!,
    document.getElementById('pc-problem-count')!,
    data.texts,
    data.locale === 'it',
  );
  let importing = false;

  const open = async (xml: string) => {
    importing = true;
    try {
      await modeler.importXML(xml);
      modeler.get('canvas').zoom('fit-viewport');
    } catch (err) {
      draftStatus(
        fmt(data.texts['editor.notParsable'], { reason: (err as Error).message }),
        'error',
      );
    } finally {
      importing = false;
    }
  };
  await open(data.xml);

  const currentXml = async (): Promise<string> =>
    (await modeler.saveXML({ format: true })).xml as string;
  modeler.on('commandStack.changed', async () => {
    if (importing) return;
    autosave.changed(await currentXml());
    refreshSearchList();
  });
  offerRecovery(local, data.xml, data.texts, (xml) => {
    void open(xml).then(() => autosave.changed(xml));
  });
  enhanceSaveVersion(currentXml, autosave);

  // The templates group's "Seleziona" opens our catalogue picker (no chooser dialog).
  modeler.on('elementTemplates.select', () => {
    window.setTimeout(
      () => document.querySelector<HTMLSelectElement>('#bio-properties-panel-pc-template')?.focus(),
      50,
    );
  });

  // The selected element: what it is, and where a call activity or decision leads.
  const selectionBox = document.getElementById('pc-selection')!;
  modeler.on('selection.changed', ({ newSelection }: Any) => {
    selectionBox.textContent = '';
    const element = newSelection?.[0];
    if (!element) return;
    const bo = element.businessObject;
    const title = document.createElement('div');
    const strong = document.createElement('strong');
    strong.textContent = bo.name || bo.id;
    title.append(strong, document.createTextNode(` (${bo.id})`));
    selectionBox.append(title);
    const link = (href: string, text: string) => {
      const a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      a.dataset.testid = 'jump-link';
      selectionBox.append(a);
    };
    const called = extensionOf(bo, 'zeebe:CalledElement')?.processId;
    const target = data.processes.find((p) => p.key === called);
    if (target) link(target.href, fmt(data.texts['editor.openCalled'], { name: target.name }));
    const decision = extensionOf(bo, 'zeebe:CalledDecision')?.decisionId;
    const dmn = data.decisions.find((d) => d.key === decision);
    if (dmn) link(dmn.href, fmt(data.texts['editor.openDecision'], { name: dmn.name }));
  });

  // Search by name or id.
  const searchInput = document.getElementById('pc-search') as HTMLInputElement;
  const searchList = document.getElementById('pc-search-list')!;
  function refreshSearchList(): void {
    searchList.textContent = '';
    for (const el of modeler.get('elementRegistry').getAll()) {
      if (!el.businessObject?.id || el.type === 'label' || el.labelTarget) continue;
      const option = document.createElement('option');
      option.value = el.businessObject.name ? `${el.businessObject.name} (${el.id})` : el.id;
      searchList.append(option);
    }
  }
  refreshSearchList();
  const findElement = (query: string) => {
    const q = query.trim().toLowerCase();
    if (!q) return undefined;
    const all = modeler
      .get('elementRegistry')
      .getAll()
      .filter((e: Any) => e.businessObject && !e.labelTarget && e.type !== 'label');
    const idMatch = /\(([^)]+)\)\s*$/.exec(query)?.[1];
    return (
      all.find((e: Any) => e.id.toLowerCase() === (idMatch ?? q).toLowerCase()) ??
      all.find((e: Any) => String(e.businessObject.name ?? '').toLowerCase() === q) ??
      all.find(
        (e: Any) =>
          String(e.businessObject.name ?? '')
            .toLowerCase()
            .includes(q) || e.id.toLowerCase().includes(q),
      )
    );
  };
  const selectElement = (element: Any) => {
    modeler.get('selection').select(element);
    modeler.get('canvas').scrollToElement(element);
  };
  document
    .querySelector<HTMLFormElement>('form[data-pc-search]')!
    .addEventListener('submit', (event) => {
      event.preventDefault();
      const found = findElement(searchInput.value);
      if (found) selectElement(found);
      searchInput.setAttribute('aria-invalid', found ? 'false' : 'true');
    });

  // Download the current XML.
  const download = document.getElementById('pc-download') as HTMLAnchorElement;
  download.addEventListener('click', async (event) => {
    if (download.dataset.ready === '1') {
      download.dataset.ready = '';
      return;
    }
    event.preventDefault();
    const blob = new Blob([await currentXml()], { type: 'application/xml' });
    download.href = URL.createObjectURL(blob);
    download.dataset.ready = '1';
    download.click();
  });

  bindEditorShortcuts((event) => {
    if (event.key === 'F8') {
      problems.next(event.shiftKey ? -1 : 1);
      return true;
    }
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
      searchInput.focus();
      searchInput.select();
      return true;
    }
    return false;
  });

  if (data.focus) {
    const element = modeler.get('elementRegistry').get(data.focus);
    if (element) selectElement(element);
  }
  document.body.dataset.modelerReady = '1';
}

void main();
