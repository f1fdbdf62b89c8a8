// Loaded with `node --import bench/rusage-hook.mjs ...` by the benchmark: when the process exits,
// write its own resource usage (process.resourceUsage(): userCPUTime and systemCPUTime in µs,
// maxRSS in KiB) to $BENCH_RUSAGE_FILE. Nothing else changes in the process it is loaded into.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, JSON.stringify(process.resourceUsage()));
    } catch {
      // the benchmark reports the missing file
    }
  });
}
