/**
 * The visual diff (/modellazione/modelli/:id/confronto): both versions side by side in
 * bpmn-js viewers, with markers for added, removed, changed and moved elements (the
 * server computed them with bpmn-js-differ plus the hidden properties); buttons in the
 * change list centre the element in both diagrams.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import './modeler.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { pageData } from './common';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

interface DiffData {
  from: string;
  to: string;
  diff: {
    added: { id: string }[];
    removed: { id: string }[];
    changed: { id: string }[];
    layoutChanged: { id: string }[];
  };
}

async function main(): Promise<void> {
  const data = pageData<DiffData>();
  const left: Any = new NavigatedViewer({ container: '#pc-diff-from' });
  const right: Any = new NavigatedViewer({ container: '#pc-diff-to' });
  await Promise.all([left.importXML(data.from), right.importXML(data.to)]);
  const mark = (viewer: Any, ids: { id: string }[], cls: string) => {
    const registry = viewer.get('elementRegistry');
    const canvas = viewer.get('canvas');
    for (const { id } of ids) if (registry.get(id)) canvas.addMarker(id, cls);
  };
  mark(left, data.diff.removed, 'pc-diff-removed');
  mark(right, data.diff.added, 'pc-diff-added');
  for (const v of [left, right]) {
    mark(v, data.diff.changed, 'pc-diff-changed');
    mark(v, data.diff.layoutChanged, 'pc-diff-layout');
    v.get('canvas').zoom('fit-viewport');
  }
  document.querySelectorAll<HTMLButtonElement>('[data-pc-focus]').forEach((button) =>
    button.addEventListener('click', () => {
      for (const v of [left, right]) {
        const el = v.get('elementRegistry').get(button.dataset.pcFocus);
        if (el) v.get('canvas').scrollToElement(el);
      }
    }),
  );
  (window as Any).pcDiffViewers = { left, right };
  document.body.dataset.diffReady = '1';
}

void main();
