/**
 * The monitoring diagram bundle: bpmn-js NavigatedViewer showing, for one instance, the
 * active elements, the path taken, per-element counts and incident badges; and for the
 * indicators page, the duration heatmap. State is drawn with canvas.addMarker (CSS
 * classes, never by rewriting the diagram's colours) and badges with overlays; the
 * bpmn.io watermark stays visible. The page's tables carry the same data, so the
 * diagram is an enhancement (the page works without JavaScript).
 *
 * Markup: <div data-pc-diagram data-xml-url="…" data-overlay="id-of-json-script">, the
 * overlay data in <script type="application/json" id="…"> (data, not code: CSP-safe).
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import './diagram.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';

interface ElementBadge {
  elementId: string;
  /** Times entered (instance view) */
  count?: number;
  active?: number;
  incidents?: number;
  /** 0..1 (heatmap) */
  heat?: number;
  /** Text shown in the badge, e.g. "3,2 gg" (heatmap) */
  label?: string;
}

interface OverlayData {
  mode: 'instance' | 'heatmap';
  active?: string[];
  visited?: string[];
  elements: ElementBadge[];
  /** Accessible texts from the page's language. */
  texts: { incidents: string; count: string; zoomIn: string; zoomOut: string; fit: string };
}

interface Canvas {
  addMarker(id: string, cls: string): void;
  zoom(level: number | 'fit-viewport', center?: 'auto'): number;
}
interface Overlays {
  add(id: string, overlay: { position: Record<string, number>; html: HTMLElement }): void;
}
interface Registry {
  get(id: string):
    | {
        id: string;
        type: string;
        businessObject: { sourceRef?: { id: string }; targetRef?: { id: string } };
      }
    | undefined;
  getAll(): {
    id: string;
    type: string;
    businessObject: { sourceRef?: { id: string }; targetRef?: { id: string } };
  }[];
}

function badge(text: string, cls: string, title: string): HTMLElement {
  const el = document.createElement('span');
  el.className = `pc-badge ${cls}`;
  el.textContent = text;
  el.title = title;
  return el;
}

function heatClass(heat: number): string {
  return `pc-heat-${Math.min(4, Math.max(0, Math.floor(heat * 4.999)))}`;
}

function zoomButtons(container: HTMLElement, canvas: Canvas, texts: OverlayData['texts']) {
  const bar = document.createElement('div');
  bar.className = 'pc-diagram-zoom btn-group';
  bar.setAttribute('role', 'group');
  const add = (label: string, text: string, action: () => void) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-outline-primary btn-sm';
    b.textContent = text;
    b.setAttribute('aria-label', label);
    b.addEventListener('click', action);
    bar.appendChild(b);
  };
  let level = 1;
  add(texts.zoomIn, '+', () => (level = canvas.zoom(level * 1.25)));
  add(texts.zoomOut, '−', () => (level = canvas.zoom(level / 1.25)));
  add(texts.fit, '⤢', () => (level = canvas.zoom('fit-viewport', 'auto')));
  container.before(bar);
}

async function mount(container: HTMLElement): Promise<void> {
  const dataEl = document.getElementById(container.dataset.overlay ?? '');
  const data = JSON.parse(dataEl?.textContent ?? '{}') as OverlayData;
  const response = await fetch(container.dataset.xmlUrl ?? '', { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`diagram XML: HTTP ${response.status}`);
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(await response.text());
  const canvas = viewer.get('canvas') as Canvas;
  const overlays = viewer.get('overlays') as Overlays;
  const registry = viewer.get('elementRegistry') as Registry;
  canvas.zoom('fit-viewport', 'auto');
  const has = (id: string) => registry.get(id) !== undefined;

  if (data.mode === 'instance') {
    const visited = new Set(data.visited ?? []);
    for (const id of visited) if (has(id)) canvas.addMarker(id, 'pc-visited');
    // The path taken: flows between two elements that both ran.
    for (const el of registry.getAll()) {
      const bo = el.businessObject;
      if (el.type === 'bpmn:SequenceFlow' && bo.sourceRef && bo.targetRef) {
        const target = bo.targetRef.id;
        if (
          visited.has(bo.sourceRef.id) &&
          (visited.has(target) || (data.active ?? []).includes(target))
        ) {
          canvas.addMarker(el.id, 'pc-visited');
        }
      }
    }
    for (const id of data.active ?? []) if (has(id)) canvas.addMarker(id, 'pc-active');
    for (const e of data.elements) {
      if (!has(e.elementId)) continue;
      if (e.count && e.count > 0) {
        overlays.add(e.elementId, {
          position: { bottom: 12, left: -8 },
          html: badge(String(e.count), 'pc-badge-count', `${data.texts.count}: ${e.count}`),
        });
      }
      if (e.incidents && e.incidents > 0) {
        canvas.addMarker(e.elementId, 'pc-incident');
        overlays.add(e.elementId, {
          position: { top: -10, right: 8 },
          html: badge(
            `⚠ ${e.incidents}`,
            'pc-badge-incident',
            `${data.texts.incidents}: ${e.incidents}`,
          ),
        });
      }
    }
  } else {
    for (const e of data.elements) {
      if (!has(e.elementId)) continue;
      canvas.addMarker(e.elementId, heatClass(e.heat ?? 0));
      if (e.label) {
        overlays.add(e.elementId, {
          position: { bottom: 12, left: -8 },
          html: badge(e.label, `pc-badge-heat ${heatClass(e.heat ?? 0)}`, e.label),
        });
      }
    }
  }
  zoomButtons(container, canvas, data.texts);
  container.dataset.ready = 'true';
}

for (const el of document.querySelectorAll<HTMLElement>('[data-pc-diagram]')) {
  mount(el).catch((err: unknown) => {
    el.dataset.ready = 'error';
    el.textContent = String((err as Error).message ?? err);
  });
}
