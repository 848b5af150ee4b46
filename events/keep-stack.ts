/**
 * A purge removes the tenant's contract, so the next full `ras synth` no longer produces its
 * stack and would drop cdktf.out/stacks/<tenant> — the very folder `terraform destroy` needs (it
 * holds the configuration and the state backend key). Before the purge commits, the last
 * synthesized stack is copied aside, whole or not at all (copy to a temporary folder, then rename).
 */
import { cpSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Copies `stackDir` to `keepDir`; returns false when there is no synthesized stack to keep. */
export function keepStackForDestroy(stackDir: string, keepDir: string): boolean {
  if (!existsSync(join(stackDir, 'cdk.tf.json'))) return false;
  const temp = `${keepDir}.${process.pid}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  cpSync(stackDir, temp, { recursive: true });
  rmSync(keepDir, { recursive: true, force: true });
  renameSync(temp, keepDir);
  return true;
}
