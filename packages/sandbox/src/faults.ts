// Injected faults (`--faults 503=0.05,429=0.02,reset-after=0.02,slow=0.01`): for each GraphQL request
// at most one fault is drawn from the seeded PRNG, so a run with the same seed and request order
// meets the same faults.
import { SandboxConfigError } from './errors.js';
import type { Random } from './random.js';

export const FAULT_KINDS = ['503', '429', '500', 'reset-before', 'reset-after', 'slow', 'malformed'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultConfig {
  rates: Partial<Record<FaultKind, number>>;
  /** How long a `slow` response is held, in real milliseconds. */
  slowMs: number;
  /** Retry-After sent with an injected 429, in seconds. */
  retryAfterSeconds: number;
}

const SETTINGS = ['slow-ms', 'retry-after'] as const;

export function parseFaultSpec(spec: string | undefined): FaultConfig {
  const config: FaultConfig = { rates: {}, slowMs: 15_000, retryAfterSeconds: 1 };
  if (!spec?.trim()) return config;
  for (const part of spec.split(',')) {
    const [key = '', raw = ''] = part.split('=').map((s) => s.trim());
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value) || value < 0) {
      throw new SandboxConfigError(`--faults: '${part.trim()}' needs a non-negative number, e.g. 503=0.05`);
    }
    if (key === 'slow-ms') config.slowMs = value;
    else if (key === 'retry-after') config.retryAfterSeconds = value;
    else if ((FAULT_KINDS as readonly string[]).includes(key)) {
      if (value > 1) throw new SandboxConfigError(`--faults: the rate of ${key} must be between 0 and 1`);
      config.rates[key as FaultKind] = value;
    } else {
      throw new SandboxConfigError(`--faults: unknown fault '${key}'; known: ${[...FAULT_KINDS, ...SETTINGS].join(', ')}`);
    }
  }
  const total = Object.values(config.rates).reduce((sum, rate) => sum + rate, 0);
  if (total > 1) throw new SandboxConfigError(`--faults: the rates add up to ${total}, more than 1`);
  return config;
}

export class FaultInjector {
  constructor(
    public config: FaultConfig,
    private readonly random: Random,
  ) {}

  /** The fault for the next request, or null for a normal answer. */
  next(): FaultKind | null {
    let draw = this.random();
    for (const kind of FAULT_KINDS) {
      const rate = this.config.rates[kind] ?? 0;
      if (draw < rate) return kind;
      draw -= rate;
    }
    return null;
  }
}
