/**
 * The case file's process diagram: bpmn-js NavigatedViewer (pan and zoom, read-only),
 * with the current activities and the steps already done highlighted. Mounted on the
 * element marked [data-pc-diagram="<url of the diagram JSON>"]; without JavaScript the
 * page lists the same steps as text.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import './diagram.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

interface DiagramData {
  xml: string;
  active: string[];
  completed: string[];
}

async function mount(container: HTMLElement): Promise<void> {
  const res = await fetch(container.dataset.pcDiagram!, {
    credentials: 'same-origin',
    headers: { accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`diagram: ${res.status}`);
  const data = (await res.json()) as DiagramData;
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(data.xml);
  const canvas = viewer.get('canvas') as {
    zoom(level?: string | number, center?: string): number;
    addMarker(id: string, marker: string): void;
    scrollToElement(element: unknown): void;
  };
  const registry = viewer.get('elementRegistry') as { get(id: string): unknown };
  for (const id of data.completed) if (registry.get(id)) canvas.addMarker(id, 'pc-done');
  for (const id of data.active) if (registry.get(id)) canvas.addMarker(id, 'pc-active');
  const scale = canvas.zoom('fit-viewport');
  // A large process fits only at a size nobody can read: show the current step instead.
  const current = data.active.map((id) => registry.get(id)).find(Boolean);
  if (scale < 0.6 && current) {
    canvas.zoom(0.8);
    canvas.scrollToElement(current);
  }
  container.dataset.pcDiagramReady = 'true';
}

for (const el of document.querySelectorAll<HTMLElement>('[data-pc-diagram]')) {
  mount(el).catch(() => {
    el.dataset.pcDiagramReady = 'failed';
    const fallback = el.dataset.pcDiagramError;
    if (fallback) el.textContent = fallback;
  });
}
