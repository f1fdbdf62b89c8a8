// What a launcher needs before it starts a sandbox (flag choices, the error to report as a usage error),
// without loading the server, GraphQL or the store generator: the CLI imports this at start-up.
export { SandboxConfigError } from './errors.js';
export { PLAN_NAMES, PLANS, type PlanName } from './plans.js';
