/**
 * What can go wrong when someone works a task, as the product's domain errors
 * (src/errors.ts), which the web layer maps to HTTP answers: not found (also for what
 * the user may not see: 404, never 403), forbidden, conflict (409: the task changed
 * meanwhile, naming who changed it), invalid (422, naming every field).
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { FieldError as FormFieldError } from '../forms';

export class TaskNotFoundError extends NotFoundError {
  readonly status = 404;
  constructor(readonly taskId: string) {
    super(`Task ${taskId} not found`);
    this.name = 'TaskNotFoundError';
  }
}

export class TaskForbiddenError extends ForbiddenError {
  readonly status = 403;
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message, reason.includes('.') ? reason : undefined);
    this.name = 'TaskForbiddenError';
  }
}

/**
 * The person may work tasks and sees this one, but it is not theirs to act on now (not the
 * assignee, not a candidate, not the delegate): 409, the task's current state refuses it.
 */
export class TaskNotYoursError extends ConflictError {
  readonly status = 409;
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message, { reason });
    this.name = 'TaskNotYoursError';
  }
}

/** The task changed since the user opened it (another tab, a colleague, the engine). */
export class StaleTaskError extends ConflictError {
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
      { taskId, currentVersion, changedBy, changedByName, changedAt, action },
    );
    this.name = 'StaleTaskError';
  }
}

/** The task is no longer open (completed, cancelled) or its state forbids the action. */
export class TaskStateError extends ConflictError {
  readonly status = 409;
  constructor(
    readonly taskId: string,
    readonly state: string,
    message: string,
  ) {
    super(message, { taskId, state });
    this.name = 'TaskStateError';
  }
}

/** Invalid data: every error names its field; nothing was changed. */
export class TaskInputError extends ValidationError {
  readonly status = 422;
  declare readonly errors: FormFieldError[];
  constructor(errors: FormFieldError[], message = 'The data is not valid') {
    super(
      `${message}: ${errors.map((e) => `${e.field || '(form)'}: ${e.problem}`).join('; ')}`,
      errors,
    );
    this.name = 'TaskInputError';
  }
}

/**
 * One invalid input that is not a form field (a reason, a date, a user id). `code` names
 * the problem (e.g. "reasonRequired"); people read the i18n text `inbox.input.<code>`
 * (the error's `key`), API clients the English `message`.
 */
export function inputError(field: string, code: string): TaskInputError {
  return new TaskInputError([
    {
      field,
      problem: code,
      keyword: 'input',
      message: `${field}: ${code}`,
      key: `inbox.input.${code}`,
    },
  ]);
}
