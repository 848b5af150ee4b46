/**
 * cdktf records a full JavaScript stack trace every time it creates a token (each attribute
 * reference such as `bucket.arn`), only to show where an unresolvable token came from. On a
 * 50-resource tenant stack that is most of the construction time (measured: 2.0 s of 2.3 s for 200
 * tenants). Synthesis output does not depend on it, so the product switches it off; a failing
 * resolution still names the token, just not the line that created it.
 *
 * The hook is cdktf's internal module; if a future version moves it, this silently does nothing
 * and synthesis is only slower.
 */
let disabled = false;

export function disableTokenCreationTraces(): void {
  if (disabled) return;
  disabled = true;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    traces.captureStackTrace = () => [];
  } catch {
    // not present in this cdktf version: keep the default behaviour
  }
}
