// Prints vitest's JSON results as the one line CI reads: "N passed, N failed[, N skipped]".
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const results = JSON.parse(readFileSync(file, 'utf8'));
const passed = results.numPassedTests ?? 0;
// Suites that failed to load count as failures too, so a broken import cannot pass as "0 failed".
const failed = (results.numFailedTests ?? 0) + (results.numFailedTestSuites ?? 0) - countSuitesWithFailedTests(results);
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

function countSuitesWithFailedTests(json) {
  return (json.testResults ?? []).filter((suite) => suite.assertionResults?.some((t) => t.status === 'failed')).length;
}
