/** What every modeling bundle shares: page data, texts, fetch with the CSRF token, drafts kept in the browser. */

export interface PageTexts {
  [key: string]: string;
}

export function pageData<T>(): T {
  const el = document.getElementById('pc-modeling-data');
  if (!el) throw new Error('no #pc-modeling-data on the page');
  return JSON.parse(el.textContent ?? 'null') as T;
}

/** Fills "{name}" placeholders. */
export function fmt(text: string | undefined, params: Record<string, unknown> = {}): string {
  return (text ?? '').replace(/\{(\w+)\}/g, (_m, name: string) =>
    name in params ? String(params[name]) : `{${name}}`,
  );
}

function csrfToken(): string {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta?.getAttribute('content') ?? '';
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { detail?: string; errors?: { field: string; message: string }[] } | undefined,
  ) {
    super(body?.errors?.[0]?.message ?? body?.detail ?? `HTTP ${status}`);
  }
}

export async function api<T>(
  method: string,
  url: string,
  body?: unknown,
  opts: { keepalive?: boolean } = {},
): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-csrf-token': csrfToken(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    keepalive: opts.keepalive,
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw new HttpError(res.status, parsed as HttpError['body']);
  return parsed as T;
}

/**
 * A copy of the draft in this browser (localStorage), written on every change and
 * removed once the server has it: a closed tab, a lost connection or a crash of the
 * server never lose work.
 */
export class LocalDraft {
  private readonly key: string;
  constructor(modelId: string) {
    this.key = `pc-draft:${location.host}:${modelId}`;
  }
  save(content: string, baseRevision: number): void {
    try {
      localStorage.setItem(
        this.key,
        JSON.stringify({ content, baseRevision, at: new Date().toISOString() }),
      );
    } catch {
      // storage full or disabled: the server autosave still runs
    }
  }
  load(): { content: string; baseRevision: number; at: string } | undefined {
    try {
      const raw = localStorage.getItem(this.key);
      return raw
        ? (JSON.parse(raw) as { content: string; baseRevision: number; at: string })
        : undefined;
    } catch {
      return undefined;
    }
  }
  clear(): void {
    try {
      localStorage.removeItem(this.key);
    } catch {
      // ignore
    }
  }
}

/**
 * Server autosave of a draft: debounced PUT /api/v1/models/:id with the expected
 * revision; a newer draft elsewhere (409) is reported, never overwritten.
 */
export class Autosave {
  private timer: number | undefined;
  private pending: string | undefined;
  private saving: Promise<void> | undefined;
  private conflicted = false;

  constructor(
    private readonly modelId: string,
    private revision: number,
    private readonly local: LocalDraft,
    private readonly status: (text: string, kind: 'ok' | 'busy' | 'error') => void,
    private readonly texts: PageTexts,
    private readonly delayMs = 1200,
  ) {
    window.addEventListener('pagehide', () => this.flushOnExit());
  }

  changed(content: string): void {
    this.pending = content;
    this.local.save(content, this.revision);
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Sends what is pending now (e.g. before saving a version). */
  async flush(): Promise<void> {
    window.clearTimeout(this.timer);
    if (this.saving) await this.saving;
    const content = this.pending;
    if (content === undefined || this.conflicted) return;
    this.pending = undefined;
    this.status(this.texts['editor.autosaving'], 'busy');
    this.saving = api<{ revision: number }>('PUT', `/api/v1/models/${this.modelId}`, {
      content,
      expectedRevision: this.revision,
    })
      .then((r) => {
        this.revision = r.revision;
        if (this.pending === undefined) this.local.clear();
        this.status(
          fmt(this.texts['editor.autosaved'], {
            time: new Date().toLocaleTimeString('it-IT', {
              hour: '2-digit',
              minute: '2-digit',
              second: '2-digit',
            }),
          }),
          'ok',
        );
      })
      .catch((err: unknown) => {
        if (err instanceof HttpError && err.status === 409) {
          this.conflicted = true;
          this.status(this.texts['editor.conflict'], 'error');
        } else {
          this.pending ??= content;
          this.status(
            fmt(this.texts['editor.autosaveFailed'], { reason: (err as Error).message }),
            'error',
          );
        }
      })
      .finally(() => {
        this.saving = undefined;
      });
    await this.saving;
  }

  private flushOnExit(): void {
    if (this.pending === undefined || this.conflicted) return;
    // keepalive lets the request finish after the tab is gone.
    void api(
      'PUT',
      `/api/v1/models/${this.modelId}`,
      { content: this.pending, expectedRevision: this.revision },
      { keepalive: true },
    ).catch(() => undefined);
  }

  get hasPending(): boolean {
    return this.pending !== undefined;
  }
}

/** Offers to restore a draft this browser kept but the server does not have. */
export function offerRecovery(
  local: LocalDraft,
  serverContent: string,
  texts: PageTexts,
  restore: (content: string) => void,
): void {
  const kept = local.load();
  const box = document.getElementById('pc-recovery');
  if (!kept || !box) return;
  if (kept.content === serverContent) {
    local.clear();
    return;
  }
  box.textContent = '';
  const p = document.createElement('p');
  p.className = 'mb-2';
  p.textContent = fmt(texts['editor.recovered'], {
    time: new Date(kept.at).toLocaleString('it-IT'),
  });
  const yes = document.createElement('button');
  yes.type = 'button';
  yes.className = 'btn btn-primary btn-sm me-2';
  yes.textContent = texts['editor.recover'];
  yes.dataset.testid = 'recover';
  const no = document.createElement('button');
  no.type = 'button';
  no.className = 'btn btn-outline-secondary btn-sm';
  no.textContent = texts['editor.discard'];
  yes.addEventListener('click', () => {
    box.classList.add('d-none');
    restore(kept.content);
  });
  no.addEventListener('click', () => {
    local.clear();
    box.classList.add('d-none');
  });
  box.append(p, yes, no);
  box.classList.remove('d-none');
}

/** The header's draft status line. */
export function draftStatus(text: string, kind: 'ok' | 'busy' | 'error'): void {
  const el = document.getElementById('pc-draft-status');
  if (!el) return;
  el.textContent = text;
  el.classList.toggle('text-danger', kind === 'error');
}

/**
 * Before "Salva versione" posts, the pending draft is sent and its content travels with
 * the form (so the version is exactly what is on screen).
 */
export function enhanceSaveVersion(getContent: () => Promise<string>, autosave: Autosave): void {
  const form = document.querySelector<HTMLFormElement>('form[data-pc-save-version]');
  if (!form) return;
  form.addEventListener('submit', (event) => {
    if (form.dataset.ready === '1') return;
    event.preventDefault();
    void (async () => {
      const content = await getContent();
      const field = form.querySelector<HTMLInputElement>('input[data-pc-content]');
      if (field) field.value = content;
      await autosave.flush().catch(() => undefined);
      form.dataset.ready = '1';
      form.requestSubmit();
    })();
  });
}

/** Ctrl+S saves a version, Ctrl+Shift+D deploys (the header's forms). */
export function bindEditorShortcuts(extra: (event: KeyboardEvent) => boolean = () => false): void {
  document.addEventListener('keydown', (event) => {
    const ctrl = event.ctrlKey || event.metaKey;
    if (ctrl && !event.shiftKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      const input = document.querySelector<HTMLInputElement>('#version-message');
      const form = document.querySelector<HTMLFormElement>('form[data-pc-save-version]');
      if (input && document.activeElement !== input) input.focus();
      else form?.requestSubmit();
      return;
    }
    if (ctrl && event.shiftKey && event.key.toLowerCase() === 'd') {
      event.preventDefault();
      document.querySelector<HTMLFormElement>('form[data-pc-deploy]')?.requestSubmit();
      return;
    }
    if (extra(event)) event.preventDefault();
  });
}
