// Prints the closing line CI reads: "tests: N passed, M failed[, K skipped]".
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    // Suites that failed to run (syntax errors, setup crashes) count as failures too.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    let line = `tests: ${results.numPassedTests} passed, ${failed} failed`;
    if (skipped > 0) line += `, ${skipped} skipped`;
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
