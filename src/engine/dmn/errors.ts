/** A DMN resource that cannot be deployed; the message names the resource, element and problem. */
export class DmnValidationError extends Error {
  constructor(
    readonly resourceName: string,
    readonly elementId: string | undefined,
    readonly problem: string,
  ) {
    super(
      elementId === undefined
        ? `Invalid DMN resource '${resourceName}': ${problem}`
        : `Invalid DMN resource '${resourceName}', element '${elementId}': ${problem}`,
    );
    this.name = 'DmnValidationError';
  }
}

/** Raised inside evaluation and turned into failedDecisionId/failureMessage, never thrown out. */
export class DecisionEvaluationFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecisionEvaluationFailure';
  }
}
