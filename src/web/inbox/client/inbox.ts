/**
 * The inbox's small script (progressive enhancement: every page works without it).
 *
 * - Conditional form fields: `[data-pc-show-if]` blocks are hidden while the answer they
 *   depend on does not match (the server decides which values count, see src/forms).
 * - The error summary takes the focus, so screen readers announce it.
 * - Drafts autosave: forms with `data-pc-autosave="<url>"` post their fields there a
 *   moment after each change (the server validates partially and keeps the draft).
 * - Keyboard shortcuts (documented on /attivita/scorciatoie): "/" search, "j"/"k" next and
 *   previous task, "o" or Enter open it, "c" take the focused or open task in charge,
 *   "s" save the draft, "?" the list of shortcuts. Not while typing in a field.
 * - Bulk selection: "select all" for the task list's check boxes.
 */

function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

function controlValue(form: HTMLFormElement | Document, name: string): string | undefined {
  const controls = [
    ...form.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`[name="${CSS.escape(name)}"]`),
  ];
  for (const c of controls) {
    if (c instanceof HTMLInputElement && (c.type === 'radio' || c.type === 'checkbox')) {
      if (c.checked) return c.value;
    } else {
      return c.value;
    }
  }
  return undefined;
}

function updateConditionals(root: ParentNode): void {
  for (const block of root.querySelectorAll<HTMLElement>('[data-pc-show-if]')) {
    const form = block.closest('form') ?? document;
    const name = block.dataset.pcShowIf!;
    const shown = controlValue(form, name) === block.dataset.pcShowValue;
    block.hidden = !shown;
  }
}

function setUpAutosave(form: HTMLFormElement): void {
  const url = form.dataset.pcAutosave;
  if (!url) return;
  const status = form.querySelector<HTMLElement>('[data-pc-autosave-status]');
  let timer: number | undefined;
  let submitted = false;
  const save = async () => {
    if (submitted) return; // the completion (or the draft button) is on its way
    const data = new URLSearchParams();
    for (const [k, v] of new FormData(form)) {
      if (typeof v === 'string' && k !== '_csrf' && k !== '_action') data.append(k, v);
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-csrf-token': csrfToken(),
          accept: 'application/json',
        },
        body: data,
        credentials: 'same-origin',
      });
      if (status)
        status.textContent = res.ok ? (status.dataset.saved ?? '') : (status.dataset.failed ?? '');
    } catch {
      if (status) status.textContent = status.dataset.failed ?? '';
    }
  };
  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void save(), 1500);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('submit', () => {
    submitted = true;
    window.clearTimeout(timer);
  });
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return Boolean(el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName)));
}

function rows(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('[data-pc-task-row]')];
}

function focusRow(delta: number): void {
  const all = rows();
  if (!all.length) return;
  const current = all.findIndex((r) => r.contains(document.activeElement));
  const next = all[Math.max(0, Math.min(all.length - 1, current < 0 ? 0 : current + delta))];
  next.querySelector<HTMLElement>('[data-pc-task-link]')?.focus();
}

function submitIn(scope: ParentNode | null, selector: string): boolean {
  const button = scope?.querySelector<HTMLButtonElement>(selector);
  if (!button) return false;
  button.click();
  return true;
}

function onKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
  const row = rows().find((r) => r.contains(document.activeElement)) ?? null;
  switch (e.key) {
    case '/':
      document.querySelector<HTMLInputElement>('[data-pc-search]')?.focus();
      break;
    case 'j':
      focusRow(1);
      break;
    case 'k':
      focusRow(-1);
      break;
    case 'o':
      row?.querySelector<HTMLAnchorElement>('[data-pc-task-link]')?.click();
      break;
    case 'c':
      if (!submitIn(row, '[data-pc-claim]')) submitIn(document, '[data-pc-claim]');
      break;
    case 's':
      submitIn(document, '[data-pc-save-draft]');
      break;
    case '?':
      document.querySelector<HTMLAnchorElement>('[data-pc-shortcuts]')?.click();
      break;
    default:
      return;
  }
  e.preventDefault();
}

function setUpBulk(): void {
  const all = document.querySelector<HTMLInputElement>('[data-pc-select-all]');
  all?.addEventListener('change', () => {
    for (const box of document.querySelectorAll<HTMLInputElement>('[data-pc-select]'))
      box.checked = all.checked;
  });
}

function start(): void {
  document.documentElement.classList.add('pc-js');
  updateConditionals(document);
  document.addEventListener('change', (e) => {
    const form = (e.target as HTMLElement).closest('form');
    if (form) updateConditionals(form);
  });
  document.querySelector<HTMLElement>('[data-pc-error-summary]')?.focus();
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-pc-autosave]'))
    setUpAutosave(form);
  document.addEventListener('keydown', onKey);
  setUpBulk();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
