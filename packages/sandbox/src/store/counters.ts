// What the sandbox has done, per target, for the exactly-once checks: how often each mutation was
// called for a target, and how often it actually changed that target's state.

type PerTarget = Record<string, number>;

export interface CountersSnapshot {
  /** mutation name -> target GID -> number of calls that reached the resolver. */
  calls: Record<string, PerTarget>;
  /** mutation name -> target GID -> number of times the state was changed. */
  applied: Record<string, PerTarget>;
  /** order GID -> number of refunds issued. */
  refunds: PerTarget;
  /** order GID -> number of customer emails sent. */
  notifications: PerTarget;
  /** Bulk query operations created, and how they ended. */
  bulkOperations: { created: number; completed: number; failed: number };
  /** HTTP-level tallies. */
  requests: { total: number; graphql: number; throttled: number; maxCostExceeded: number; faults: Record<string, number> };
}

export class Counters {
  private snapshotData: CountersSnapshot = Counters.empty();

  static empty(): CountersSnapshot {
    return {
      calls: {},
      applied: {},
      refunds: {},
      notifications: {},
      bulkOperations: { created: 0, completed: 0, failed: 0 },
      requests: { total: 0, graphql: 0, throttled: 0, maxCostExceeded: 0, faults: {} },
    };
  }

  call(mutation: string, target: string): void {
    bump((this.snapshotData.calls[mutation] ??= {}), target);
  }

  applied(mutation: string, target: string): void {
    bump((this.snapshotData.applied[mutation] ??= {}), target);
  }

  refund(orderGid: string): void {
    bump(this.snapshotData.refunds, orderGid);
  }

  notification(orderGid: string): void {
    bump(this.snapshotData.notifications, orderGid);
  }

  bulkOperation(what: keyof CountersSnapshot['bulkOperations']): void {
    this.snapshotData.bulkOperations[what]++;
  }

  get requests(): CountersSnapshot['requests'] {
    return this.snapshotData.requests;
  }

  fault(kind: string): void {
    bump(this.snapshotData.requests.faults, kind);
  }

  snapshot(): CountersSnapshot {
    return structuredClone(this.snapshotData);
  }

  reset(): void {
    this.snapshotData = Counters.empty();
  }
}

function bump(map: PerTarget, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}
