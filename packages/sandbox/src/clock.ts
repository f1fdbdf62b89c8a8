// The sandbox's own time. Under --time-scale k it runs k times faster than the wall clock, so job and
// service delays shrink; tests can also push it forward (`/__sandbox/clock`).
export interface SandboxClock {
  now(): number;
  advance(ms: number): void;
}

export function createSandboxClock(timeScale: number, realNow: () => number = () => performance.now()): SandboxClock {
  const wallStart = Date.now();
  const realStart = realNow();
  let offset = 0;
  return {
    now: () => wallStart + (realNow() - realStart) * timeScale + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}
