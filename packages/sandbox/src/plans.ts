// Rate limits per Shopify plan (docs/shopify-behaviour.md#rate-limits): restore rate in points per second and bucket
// size. `unlimited` is the sandbox's own, for measuring the CLI without throttling.
export const PLANS = {
  standard: { restoreRate: 100, maximumAvailable: 2_000 },
  advanced: { restoreRate: 200, maximumAvailable: 4_000 },
  plus: { restoreRate: 1_000, maximumAvailable: 20_000 },
  enterprise: { restoreRate: 2_000, maximumAvailable: 40_000 },
  unlimited: { restoreRate: 10_000_000, maximumAvailable: 10_000_000 },
} as const;

export type PlanName = keyof typeof PLANS;
export const PLAN_NAMES = Object.keys(PLANS) as PlanName[];
