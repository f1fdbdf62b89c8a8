// Bulk query operations in the store (docs/shopify-behaviour.md#bulk-query-exports): created with their export already taken,
// RUNNING from then on, and finished by a pending event after a delay in sandbox time, so --time-scale
// speeds them up like cancel jobs.
import type { BulkOperationRecord, PendingEvent } from './model.js';
import type { SandboxStore } from './store.js';

/** At most this many bulk query operations CREATED or RUNNING per token (2026-01+). */
export const MAX_RUNNING_BULK_QUERIES = 5;
/** Sandbox time a bulk query takes: a base, plus a little per exported object. */
export const BULK_OPERATION_BASE_MS = 1000;
export const BULK_OPERATION_MS_PER_OBJECT = 1;

export function runningBulkQueries(store: SandboxStore, owner: string): number {
  return store.bulkOperations().filter((op) => op.owner === owner && op.type === 'QUERY' && (op.status === 'CREATED' || op.status === 'RUNNING'))
    .length;
}

/** Records a new operation (CREATED) and schedules its end. */
export function createBulkOperation(store: SandboxStore, fields: Pick<BulkOperationRecord, 'query' | 'owner' | 'result'>): BulkOperationRecord {
  const operation: BulkOperationRecord = {
    id: store.nextId(),
    type: 'QUERY',
    status: 'CREATED',
    createdAt: store.nowIso(),
    completedAt: null,
    errorCode: null,
    ...fields,
  };
  store.addBulkOperation(operation);
  const objects = fields.result.ok ? fields.result.objectCount : 0;
  store.schedule({
    kind: 'bulk-operation-finish',
    dueAt: store.dueIn(BULK_OPERATION_BASE_MS + BULK_OPERATION_MS_PER_OBJECT * objects),
    bulkOperationId: operation.id,
  });
  store.counters.bulkOperation('created');
  store.changed();
  return operation;
}

/** The operation has started; the mutation that created it has answered CREATED. */
export function startBulkOperation(operation: BulkOperationRecord): void {
  if (operation.status === 'CREATED') operation.status = 'RUNNING';
}

export function finishBulkOperation(store: SandboxStore, event: Extract<PendingEvent, { kind: 'bulk-operation-finish' }>): void {
  const operation = store.bulkOperation(event.bulkOperationId);
  if (!operation || (operation.status !== 'CREATED' && operation.status !== 'RUNNING')) return;
  operation.completedAt = event.dueAt;
  if (operation.result.ok) {
    operation.status = 'COMPLETED';
    store.counters.bulkOperation('completed');
  } else {
    operation.status = 'FAILED';
    operation.errorCode = operation.result.errorCode;
    store.counters.bulkOperation('failed');
  }
}
