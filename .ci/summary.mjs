// Prints vitest's JSON results as the one line CI reads: "N passed, N failed[, N skipped]".
// The token leak scan (test/helpers/leak-scan-global.ts) runs after the tests and writes its result
// beside the JSON report: a leak, or no result at all, counts as one more failure. The second argument is
// 1 when `npm run lint` failed, which counts as one more failure too.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const file = process.argv[2];
const lintFailures = process.argv[3] === '1' ? 1 : 0;
if (!file || !existsSync(file)) {
  console.log(`0 passed, ${1 + lintFailures} failed`);
  process.exit(1);
}
const results = JSON.parse(readFileSync(file, 'utf8'));
const passed = results.numPassedTests ?? 0;
// Suites that failed to load count as failures too, so a broken import cannot pass as "0 failed".
const failed =
  (results.numFailedTests ?? 0) +
  countFilesFailedWithoutFailedTests(results) +
  leakScanFailures(join(dirname(file), 'leak-scan.json')) +
  lintFailures;
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

function leakScanFailures(scanFile) {
  if (!existsSync(scanFile)) {
    console.log('leak scan: no result (the global teardown did not run): counted as a failure');
    return 1;
  }
  const scan = JSON.parse(readFileSync(scanFile, 'utf8'));
  console.log(scan.occurrences === 0 ? scan.line : `${scan.line}: TOKEN LEAK, counted as a failure`);
  return scan.occurrences === 0 ? 0 : 1;
}

// A file that failed with no failed test failed to load (or its hooks failed). vitest's numFailedTestSuites also
// counts describe blocks, so it cannot be used for this.
function countFilesFailedWithoutFailedTests(json) {
  return (json.testResults ?? []).filter((file) => file.status === 'failed' && !file.assertionResults?.some((t) => t.status === 'failed')).length;
}
