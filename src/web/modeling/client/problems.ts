/**
 * The problems panel: every lint issue of the diagram (bpmn-js-bpmnlint, camunda-cloud-8-5
 * rules) as a list; Enter or a click selects the element and shows its properties; F8 and
 * Shift+F8 move to the next and previous problem from anywhere on the page.
 */
import { fmt, type PageTexts } from './common';
import { italianLintMessage } from './lint-messages';

interface Issue {
  id: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
  rule: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Modeler = any;

export class ProblemsPanel {
  private items: { elementId: string; issue: Issue }[] = [];
  private current = -1;

  constructor(
    private readonly modeler: Modeler,
    private readonly list: HTMLElement,
    private readonly count: HTMLElement,
    private readonly texts: PageTexts,
    private readonly italian: boolean,
  ) {
    modeler.on('linting.completed', ({ issues }: { issues: Record<string, Issue[]> }) =>
      this.render(issues),
    );
  }

  private render(issues: Record<string, Issue[]>): void {
    const registry = this.modeler.get('elementRegistry');
    const order = { error: 0, 'rule-error': 0, warn: 1, info: 2 };
    this.items = Object.entries(issues)
      .flatMap(([elementId, list]) => list.map((issue) => ({ elementId, issue })))
      .sort(
        (a, b) =>
          order[a.issue.category] - order[b.issue.category] ||
          a.elementId.localeCompare(b.elementId),
      );
    const errors = this.items.filter(
      (i) => i.issue.category === 'error' || i.issue.category === 'rule-error',
    ).length;
    const warnings = this.items.filter((i) => i.issue.category === 'warn').length;
    this.count.textContent = fmt(this.texts['problems.count'], { errors, warnings });
    this.count.className = `badge ${errors ? 'bg-danger' : warnings ? 'bg-warning text-dark' : 'bg-success'}`;
    this.list.textContent = '';
    if (this.items.length === 0) {
      const li = document.createElement('li');
      li.textContent = this.texts['problems.none'];
      this.list.append(li);
      return;
    }
    this.items.forEach((item, index) => {
      const element = registry.get(item.elementId);
      const name = element?.businessObject?.name;
      const li = document.createElement('li');
      li.className = 'pc-problem';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `btn btn-link text-start p-1 pc-problem-${item.issue.category}`;
      button.dataset.element = item.elementId;
      button.dataset.rule = item.issue.rule;
      button.dataset.testid = 'problem';
      const kind = item.issue.category === 'rule-error' ? 'error' : item.issue.category;
      button.textContent = `${this.texts[`problems.${kind}`] ?? kind}: ${name ? `${name} (${item.elementId})` : item.elementId} — ${this.italian ? italianLintMessage(item.issue.message) : item.issue.message} [${item.issue.rule}]`;
      button.addEventListener('click', () => this.select(index));
      li.append(button);
      this.list.append(li);
    });
  }

  select(index: number): void {
    if (this.items.length === 0) return;
    this.current = (index + this.items.length) % this.items.length;
    const { elementId } = this.items[this.current];
    const element = this.modeler.get('elementRegistry').get(elementId);
    if (element) {
      this.modeler.get('selection').select(element);
      this.modeler.get('canvas').scrollToElement(element);
    }
    const buttons = this.list.querySelectorAll<HTMLButtonElement>('button');
    buttons[this.current]?.focus();
  }

  next(step: 1 | -1): void {
    this.select(this.current + step);
  }
}
