/**
 * The form editor (/modellazione/moduli/:id): the JSON Schema in a text area, autosaved
 * as the draft, and a live preview drawn on the server by the one form renderer the inbox
 * uses (POST /api/v1/forms/preview), with the schema's problems listed.
 */
import './modeler.css';
import {
  api,
  Autosave,
  bindEditorShortcuts,
  draftStatus,
  LocalDraft,
  offerRecovery,
  pageData,
  type PageTexts,
} from './common';

interface FormData {
  id: string;
  revision: number;
  texts: PageTexts;
}

function main(): void {
  const data = pageData<FormData>();
  const textarea = document.getElementById('pc-form-json') as HTMLTextAreaElement;
  const preview = document.getElementById('pc-form-preview')!;
  const problems = document.getElementById('pc-form-problems')!;
  const local = new LocalDraft(data.id);
  const autosave = new Autosave(data.id, data.revision, local, draftStatus, data.texts);
  let timer: number | undefined;
  const refresh = async () => {
    const r = await api<{ html?: string; problems: string[] }>('POST', '/api/v1/forms/preview', {
      schema: textarea.value,
    }).catch((err: Error) => ({ problems: [err.message], html: undefined }));
    problems.textContent = '';
    if (r.problems.length) {
      const box = document.createElement('div');
      box.className = 'alert alert-danger';
      box.setAttribute('role', 'alert');
      const p = document.createElement('p');
      p.className = 'mb-1';
      p.textContent = data.texts['forms.previewProblems'];
      const ul = document.createElement('ul');
      ul.className = 'mb-0';
      for (const text of r.problems) {
        const li = document.createElement('li');
        li.textContent = text;
        ul.append(li);
      }
      box.append(p, ul);
      problems.append(box);
    }
    // The renderer escapes every value: its HTML is safe to insert.
    if (r.html !== undefined) preview.innerHTML = r.html;
  };
  textarea.addEventListener('input', () => {
    autosave.changed(textarea.value);
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void refresh(), 500);
  });
  offerRecovery(local, textarea.value, data.texts, (content) => {
    textarea.value = content;
    autosave.changed(content);
    void refresh();
  });
  const form = document.querySelector<HTMLFormElement>('form[data-pc-save-version]');
  form?.addEventListener('submit', () => local.clear());
  bindEditorShortcuts();
  document.body.dataset.modelerReady = '1';
}

main();
