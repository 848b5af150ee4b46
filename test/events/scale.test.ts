/**
 * Allocation at fleet scale: 300 synthetic tenants (bench/generate.ts) with two removed, and 12
 * new tenants posted at once over HTTP. The gaps are filled first, then the lowest free blocks,
 * and the fleet still passes every check.
 */
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticFleet } from '../../bench/generate';
import { loadFleet } from '../../contract/load';
import { createEventServer } from '../../server/http';
import { createdEvent, REPO } from './helpers/fixture';
import { post } from './helpers/http-client';

const SECRET = 'scale-secret-0123456789abcdef0123456789abcdef';

it('fills gaps first, then the lowest free blocks, with 12 concurrent creations among 298 tenants', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ras-events-scale-'));
  let server: Server | undefined;
  try {
    const paths = writeSyntheticFleet(join(root, 'fleet'), 300, join(REPO, 'fleet.yaml'));
    for (const gone of ['tenant-00010', 'tenant-00011']) unlinkSync(join(paths.tenantsDir, `${gone}.yaml`));
    server = createEventServer({ secret: SECRET, apply: { paths, stateDir: join(root, 'state'), lockTimeoutMs: 100_000 }, log: () => undefined });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;

    const events = Array.from({ length: 12 }, (_, i) => createdEvent(`scale-${i}`, 1, 900 + i));
    const replies = await Promise.all(events.map((e) => post(port, JSON.stringify(e), { secret: SECRET })));
    expect(replies.map((r) => r.status)).toEqual(Array(12).fill(202));

    const created = loadFleet(paths).tenants.filter((t) => t.id.startsWith('scale-'));
    const sorted = (xs: (string | number)[]) => [...xs].sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true }));
    // Synthetic tenant i holds 10.{64+(i>>8)}.{i&255}.0/24, 10.{128+(i>>8)}.{i&255}.0/24 and VLAN
    // 100+floor(i/2) on its region's backbone link (even i: ap-northeast-1, where the new tenants go).
    const next = Array.from({ length: 10 }, (_, k) => 300 + k);
    expect(sorted(created.map((t) => t.network.vpcCidr))).toEqual(sorted(['10.64.10.0/24', '10.64.11.0/24', ...next.map((i) => `10.${64 + (i >> 8)}.${i & 255}.0/24`)]));
    expect(sorted(created.map((t) => t.contract.gateway.clientPool))).toEqual(sorted(['10.128.10.0/24', '10.128.11.0/24', ...next.map((i) => `10.${128 + (i >> 8)}.${i & 255}.0/24`)]));
    // VLAN ids are unique per link: tenant-00010's 105 is free again on ap-northeast-1's link, then
    // the ids after the last even tenant's (298: 249).
    expect(sorted(created.map((t) => t.network.vlanId))).toEqual(sorted([105, ...Array.from({ length: 11 }, (_, k) => 250 + k)]));
  } finally {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    rmSync(root, { recursive: true, force: true });
  }
});
