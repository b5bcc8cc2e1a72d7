/**
 * The decision table page (/modellazione/decisioni/:id): dmn-js Modeler in Italian, the
 * draft autosaved like the BPMN modeler, server lint (FEEL syntax of every cell) in a
 * problems list, and the "prova" panel that evaluates the deployed decision through the
 * Zeebe client's EvaluateDecision (POST /api/v1/decisions/evaluate) and lists the matched rules.
 */
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn.css';
import './modeler.css';
import DmnModeler from 'dmn-js/lib/Modeler';
import {
  api,
  Autosave,
  bindEditorShortcuts,
  draftStatus,
  enhanceSaveVersion,
  fmt,
  HttpError,
  LocalDraft,
  offerRecovery,
  pageData,
  type PageTexts,
} from './common';
import { createTranslateModule } from './translate';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

interface DmnData {
  id: string;
  key: string;
  revision: number;
  xml: string;
  catalogue: Record<string, string>;
  texts: PageTexts;
}

interface LintIssue {
  elementId: string;
  elementName?: string;
  rule: string;
  message: string;
  category: string;
}

async function main(): Promise<void> {
  const data = pageData<DmnData>();
  const modeler: Any = new DmnModeler({
    container: '#pc-dmn-canvas',
    common: { additionalModules: [createTranslateModule(data.catalogue)] },
  });
  (window as Any).pcDmnModeler = modeler;
  const local = new LocalDraft(data.id);
  const autosave = new Autosave(data.id, data.revision, local, draftStatus, data.texts);
  let importing = false;

  const currentXml = async (): Promise<string> =>
    (await modeler.saveXML({ format: true })).xml as string;
  const problemsList = document.getElementById('pc-problems')!;
  const problemCount = document.getElementById('pc-problem-count')!;
  let lintTimer: number | undefined;
  const lint = () => {
    window.clearTimeout(lintTimer);
    lintTimer = window.setTimeout(async () => {
      const report = await api<{ errors: number; warnings: number; issues: LintIssue[] }>(
        'POST',
        '/api/v1/models/lint',
        {
          kind: 'dmn',
          content: await currentXml(),
        },
      ).catch(() => undefined);
      if (!report) return;
      problemCount.textContent = fmt(data.texts['problems.count'], {
        errors: report.errors,
        warnings: report.warnings,
      });
      problemCount.className = `badge ${report.errors ? 'bg-danger' : 'bg-success'}`;
      problemsList.textContent = '';
      for (const issue of report.issues) {
        const li = document.createElement('li');
        li.className = `pc-problem pc-problem-${issue.category}`;
        li.dataset.testid = 'problem';
        li.textContent = `${data.texts[`problems.${issue.category}`] ?? issue.category}: ${issue.elementName ?? issue.elementId} — ${issue.message} [${issue.rule}]`;
        problemsList.append(li);
      }
      if (report.issues.length === 0) {
        const li = document.createElement('li');
        li.textContent = data.texts['problems.none'];
        problemsList.append(li);
      }
    }, 600);
  };

  const watched = new WeakSet<object>();
  const watchActive = () => {
    const viewer = modeler.getActiveViewer();
    if (!viewer || watched.has(viewer)) return;
    watched.add(viewer);
    viewer.get('eventBus').on('elements.changed', async () => {
      if (importing) return;
      autosave.changed(await currentXml());
      lint();
    });
  };
  modeler.on('views.changed', watchActive);

  const open = async (xml: string) => {
    importing = true;
    try {
      await modeler.importXML(xml);
      const table =
        modeler
          .getViews()
          .find((v: Any) => v.type === 'decisionTable' && v.element.id === data.key) ??
        modeler.getViews().find((v: Any) => v.type === 'decisionTable');
      if (table) await modeler.open(table);
      watchActive();
      // The "prova" decision list: every decision of the document.
      const select = document.getElementById('prova-decision') as HTMLSelectElement;
      select.textContent = '';
      for (const view of modeler.getViews().filter((v: Any) => v.type !== 'drd')) {
        const option = document.createElement('option');
        option.value = view.element.id;
        option.textContent = view.element.name
          ? `${view.element.name} (${view.element.id})`
          : view.element.id;
        option.selected = view.element.id === data.key;
        select.append(option);
      }
    } catch (err) {
      draftStatus(
        fmt(data.texts['editor.notParsable'], { reason: (err as Error).message }),
        'error',
      );
    } finally {
      importing = false;
    }
    lint();
  };
  await open(data.xml);
  offerRecovery(
    local,
    data.xml,
    data.texts,
    (xml) => void open(xml).then(() => autosave.changed(xml)),
  );
  enhanceSaveVersion(currentXml, autosave);
  bindEditorShortcuts();

  // The "prova" panel.
  const result = document.getElementById('pc-prova-result')!;
  document.getElementById('pc-prova-form')!.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.textContent = '';
    const show = (cls: string, text: string) => {
      const p = document.createElement('div');
      p.className = cls;
      p.textContent = text;
      result.append(p);
      return p;
    };
    let variables: unknown;
    try {
      variables = JSON.parse(
        (document.getElementById('prova-variables') as HTMLTextAreaElement).value || '{}',
      );
    } catch {
      show('alert alert-danger', data.texts['decision.badJson']);
      return;
    }
    const decisionId = (document.getElementById('prova-decision') as HTMLSelectElement).value;
    try {
      const r = await api<Any>('POST', '/api/v1/decisions/evaluate', { decisionId, variables });
      if (r.failure)
        show(
          'alert alert-danger',
          fmt(data.texts['decision.failed'], { reason: r.failure.message }),
        );
      const h = document.createElement('h3');
      h.className = 'h6';
      h.textContent = `${data.texts['decision.result']} (${r.decisionName ?? r.decisionId} v${r.decisionVersion})`;
      result.append(h);
      const pre = document.createElement('pre');
      pre.dataset.testid = 'prova-output';
      pre.textContent = JSON.stringify(r.output, null, 2);
      result.append(pre);
      const h2 = document.createElement('h3');
      h2.className = 'h6';
      h2.textContent = data.texts['decision.matched'];
      result.append(h2);
      const ul = document.createElement('ul');
      ul.dataset.testid = 'prova-matched';
      for (const d of r.evaluated ?? []) {
        for (const rule of d.matchedRules ?? []) {
          const li = document.createElement('li');
          li.dataset.rule = rule.ruleId;
          li.textContent = `${d.decisionName ?? d.decisionId}: ${rule.ruleIndex}. ${rule.ruleId} → ${rule.outputs.map((o: Any) => `${o.name} = ${JSON.stringify(o.value)}`).join(', ')}`;
          ul.append(li);
        }
      }
      if (!ul.children.length) show('', data.texts['decision.noMatch']);
      else result.append(ul);
    } catch (err) {
      show(
        'alert alert-danger',
        err instanceof HttpError
          ? fmt(data.texts['decision.failed'], { reason: err.message })
          : String(err),
      );
    }
  });
  document.body.dataset.modelerReady = '1';
}

void main();
