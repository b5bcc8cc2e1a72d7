/**
 * What can go wrong when someone works a task, as typed errors the web layer maps to
 * HTTP answers: not found (also for what the user may not see: 404, never 403),
 * forbidden, stale (409, naming who changed the task), invalid data (422).
 */
import type { FieldError } from '../forms';

export class TaskNotFoundError extends Error {
  readonly status = 404;
  constructor(readonly taskId: string) {
    super(`Task ${taskId} not found`);
    this.name = 'TaskNotFoundError';
  }
}

export class TaskForbiddenError extends Error {
  readonly status = 403;
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'TaskForbiddenError';
  }
}

/** The task changed since the user opened it (another tab, a colleague, the engine). */
export class StaleTaskError extends Error {
  readonly status = 409;
  constructor(
    readonly taskId: string,
    readonly currentVersion: number,
    readonly changedBy: string | undefined,
    readonly changedByName: string | undefined,
    readonly changedAt: Date | undefined,
    readonly action: string | undefined,
  ) {
    super(
      `Task ${taskId} was changed meanwhile${changedByName || changedBy ? ` by ${changedByName ?? changedBy}` : ''} (now version ${currentVersion})`,
    );
    this.name = 'StaleTaskError';
  }
}

/** The task is no longer open (completed, cancelled) or its state forbids the action. */
export class TaskStateError extends Error {
  readonly status = 409;
  constructor(
    readonly taskId: string,
    readonly state: string,
    message: string,
  ) {
    super(message);
    this.name = 'TaskStateError';
  }
}

export class TaskInputError extends Error {
  readonly status = 422;
  constructor(
    readonly errors: FieldError[],
    message = 'The data is not valid',
  ) {
    super(`${message}: ${errors.map((e) => `${e.field || '(form)'}: ${e.problem}`).join('; ')}`);
    this.name = 'TaskInputError';
  }
}

/**
 * One invalid input that is not a form field (a reason, a date, a user id). `code` names
 * the problem (e.g. "reasonRequired"); the web layer shows the text of the i18n key
 * `inbox.input.<code>` (keyword "input" marks such errors).
 */
export function inputError(field: string, code: string): TaskInputError {
  return new TaskInputError([{ field, problem: code, keyword: 'input', message: code }]);
}
