// A plain JSON object (not null, not an array): how untrusted answers and journal lines are read
// field by field. The sandbox keeps its own copy: it must not import the CLI.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
