/**
 * Capacity regression check: 20 terminals, each its own identity, certificate, source address
 * and virtual IP, connect to the converged gateway at once from one initiator and rekey their
 * CHILD_SAs; `npm run bench:gateway` runs the same harness at each size class's terminal count.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingPrerequisites } from './lib/prerequisites';
import { measureCapacity } from './lib/capacity';
import { REPO } from './lib/converge';

const TERMINALS = 20;

test(`${TERMINALS} terminals connect at once, each with its own virtual IP, and survive a rekey storm`, async () => {
  const missing = missingPrerequisites();
  if (missing.length > 0) throw new Error(`end-to-end prerequisites missing (run scripts/install-deps.sh as root): ${missing.join(', ')}`);
  const work = mkdtempSync('/var/tmp/ras-capacity-');
  try {
    const r = await measureCapacity({ terminals: TERMINALS, max: 3000, work, prefix: `cap${process.pid % 100000}-`, rekeyS: 20, stallS: 30 });
    mkdirSync(join(REPO, 'test-results'), { recursive: true });
    writeFileSync(join(REPO, 'test-results', 'gateway-capacity-e2e.json'), `${JSON.stringify(r, null, 2)}\n`);
    expect(r.limitedBy).toBeUndefined();
    expect(r.established).toBe(TERMINALS);
    // One CHILD_SA per terminal, carried by libipsec: none of them in the kernel's SAD.
    expect(r.childSasInstalled).toBe(TERMINALS);
    expect(r.xfrmStates).toBe(0);
    expect(r.gatewayRssKiB).toBeGreaterThan(r.gatewayRssIdleKiB);
    // Every CHILD_SA was rekeyed once and no IKE_SA was lost.
    expect(r.rekey).toEqual(expect.objectContaining({ rekeyed: TERMINALS, establishedAfter: TERMINALS }));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 1_200_000);
