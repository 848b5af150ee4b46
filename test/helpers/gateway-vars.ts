import { join } from 'node:path';

/** The one host_vars file of a tenant's stack, as stacks/synth.ts renders it. */
export function hostVarsFile(outdir: string, tenant: string): string {
  return join(outdir, 'stacks', tenant, 'ansible', 'host_vars', `${tenant}-gateway.yml`);
}
