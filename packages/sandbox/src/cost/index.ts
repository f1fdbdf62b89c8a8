export {
  CONNECTION_BASE_COST,
  MUTATION_FIELD_COST,
  SINGLE_QUERY_MAX_COST,
  actualQueryCost,
  maxCostExceededError,
  requestedQueryCost,
  type MaxCostExceededError,
} from './query-cost.js';
export { LeakyBucket, throttledError, type LeakyBucketOptions, type ThrottleStatus, type ThrottledError } from './leaky-bucket.js';
