import './settings.css';
/**
 * The template editor at /amministrazione/modelli/:kind/:name: the preview on sample data
 * follows the text as it is typed (POST /api/v1/templates/:kind/:name/preview); the
 * "Aggiorna l'anteprima" button does the same without JavaScript.
 */
function csrfToken(): string {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
}

function main(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-pc-template-form]');
  const textarea = document.getElementById('tpl-text') as HTMLTextAreaElement | null;
  const target = document.getElementById('pc-template-preview');
  if (!form || !textarea || !target) return;
  let timer: number | undefined;
  const refresh = async () => {
    const res = await fetch(form.dataset.preview!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify({ text: textarea.value }),
      credentials: 'same-origin',
    });
    if (!res.ok) return;
    const r = (await res.json()) as { problemText?: string; subject?: string; body?: string };
    target.textContent = '';
    if (r.problemText) {
      const div = document.createElement('div');
      div.className = 'alert alert-danger';
      div.setAttribute('role', 'alert');
      div.textContent = r.problemText;
      target.append(div);
    }
    if (r.subject !== undefined) {
      const p = document.createElement('p');
      const strong = document.createElement('strong');
      strong.textContent = `${document.documentElement.lang === 'en' ? 'Subject' : 'Oggetto'}: `;
      const span = document.createElement('span');
      span.dataset.testid = 'preview-subject';
      span.textContent = r.subject;
      p.append(strong, span);
      target.append(p);
    }
    if (r.body !== undefined) {
      const pre = document.createElement('pre');
      pre.className = 'pc-template-body border rounded p-3';
      pre.tabIndex = 0;
      pre.dataset.testid = 'preview-body';
      pre.textContent = r.body;
      target.append(pre);
    }
  };
  textarea.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refresh(), 400);
  });
}

main();
