// Loaded with `node --import bench/dist/bench/rusage-hook.js ...` by the benchmark: when the process exits,
// write its own resource usage (process.resourceUsage(): userCPUTime and systemCPUTime in µs) and its
// peak resident memory to $BENCH_RUSAGE_FILE. Nothing else changes in the process it is loaded into.
//
// Peak memory is /proc/self/status VmHWM, not resourceUsage().maxRSS: on Linux ru_maxrss survives
// fork and exec, so a child of a large parent (the benchmark, after reading a 135 MB store) would
// report the parent's peak as its own. VmHWM belongs to this process's address space alone.
import { readFileSync, writeFileSync } from 'node:fs';

function peakKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux: fall back to ru_maxrss below
  }
  return process.resourceUsage().maxRSS;
}

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, JSON.stringify({ ...process.resourceUsage(), maxRSS: peakKiB() }));
    } catch {
      // the benchmark reports the missing file
    }
  });
}
