/** A sandbox option or fixture that cannot be used; the CLI reports it as a usage error (exit 2). */
export class SandboxConfigError extends Error {
  override name = 'SandboxConfigError';
}
