// How long Shopify takes to finish asynchronous work (cancel jobs), as this run observes it. An
// ambiguous send is read back for a few times that long before we conclude it never arrived; before
// any observation, the configured ceiling applies.
export class SettleTime {
  private slowest = 0;
  private observed = false;

  constructor(
    private readonly ceilingMs: number,
    private readonly floorMs = 2_000,
  ) {}

  observe(ms: number): void {
    this.observed = true;
    this.slowest = Math.max(this.slowest, ms);
  }

  /** How long to keep reading back before treating a step as not applied. */
  graceMs(): number {
    if (!this.observed) return this.ceilingMs;
    return Math.min(this.ceilingMs, Math.max(this.floorMs, this.slowest * 4));
  }
}
