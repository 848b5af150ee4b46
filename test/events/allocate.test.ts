/** Allocation from the fleet pools: lowest free, never overlapping, never moving. */
import { allocate, AllocationError, clientPoolPrefix } from '../../events/allocate';
import { applyEvent } from '../../events/apply';
import { loadFleet } from '../../contract/load';
import type { FleetSettings } from '../../contract/types';
import { changedEvent, createdEvent, makeFixture } from './helpers/fixture';

const fleet = {
  operationsCidr: '10.64.1.0/24',
  pools: { vpc: '10.64.0.0/22', vpcPrefixLength: 24, clientPools: '10.128.0.0/20', vlan: { min: 100, max: 103 } },
} as FleetSettings;
const request = { terminals: 40, requestsPerSecond: 20, ownCidrs: [] };

describe('allocate', () => {
  it('takes the lowest block that overlaps no claim and not the operations network', () => {
    const a = allocate(fleet, { cidrs: ['10.64.0.0/24', '10.128.0.0/24'], vlans: [100, 102] }, request);
    expect(a).toEqual({ vpcCidr: '10.64.2.0/24', clientPool: '10.128.1.0/24', vlanId: 101, allocated: ['network.vpcCidr', 'gateway.clientPool', 'network.vlanId'] });
  });

  it('skips past a larger claim to the next aligned block', () => {
    const a = allocate(fleet, { cidrs: ['10.128.0.0/23', '10.128.2.128/25'], vlans: [] }, request);
    expect(a.clientPool).toBe('10.128.3.0/24');
  });

  it('keeps what the request gives and does not allocate over it', () => {
    const a = allocate(fleet, { cidrs: [], vlans: [] }, { ...request, vpcCidr: '10.64.0.0/24', vlanId: 103 });
    expect(a).toMatchObject({ vpcCidr: '10.64.0.0/24', vlanId: 103, allocated: ['gateway.clientPool'] });
  });

  it('avoids the new contract’s own customer networks', () => {
    const a = allocate(fleet, { cidrs: [], vlans: [] }, { ...request, ownCidrs: ['10.128.0.0/24'] });
    expect(a.clientPool).toBe('10.128.1.0/24');
  });

  it('sizes the client pool for the ceiling of the size class', () => {
    expect(clientPoolPrefix(40, 20)).toBe(24); // small: 250 terminals → 254 usable
    expect(clientPoolPrefix(800, 400)).toBe(22); // medium: 1000 → 1022
    expect(clientPoolPrefix(3000, 100)).toBe(20); // large: 3000 → 4094
  });

  it('says which pool is exhausted', () => {
    const full = { cidrs: ['10.64.0.0/22'], vlans: [] };
    expect(() => allocate(fleet, full, request)).toThrow(AllocationError);
    expect(() => allocate(fleet, full, request)).toThrow('no free /24 block is left in the fleet pool 10.64.0.0/22');
    expect(() => allocate(fleet, { cidrs: [], vlans: [100, 101, 102, 103] }, request)).toThrow("no free VLAN id is left on the region's backbone link (fleet range 100-103)");
  });
});

describe('allocation through events', () => {
  it('never moves an existing allocation: later events for any tenant leave it in place', async () => {
    const fx = makeFixture();
    try {
      await applyEvent(createdEvent('aoba-bank', 1, 1), fx.options());
      const before = loadFleet(fx.paths).tenants.map((t) => [t.id, t.contract.network.vpcCidr, t.contract.gateway.clientPool, t.contract.network.vlanId]);
      await applyEvent(createdEvent('chitose-air', 1, 2), fx.options());
      await applyEvent(changedEvent('aoba-bank', 2, { gateway: { sizing: { terminals: 240, requestsPerSecond: 200 } } }), fx.options());
      await applyEvent(changedEvent('sakura-trading', 2, { gateway: { sizing: { terminals: 250 } } }), fx.options());
      const after = loadFleet(fx.paths).tenants.map((t) => [t.id, t.contract.network.vpcCidr, t.contract.gateway.clientPool, t.contract.network.vlanId]);
      expect(after.filter(([id]) => id !== 'chitose-air')).toEqual(before);
      // VLAN ids are unique per backbone link (region): 102 is kitakaze-logistics' on ap-northeast-3's link only
      // (ap-northeast-1's link holds 100 for aoba-bank, 101, 103 and tsubame-travel's 104).
      expect(after.find(([id]) => id === 'chitose-air')).toEqual(['chitose-air', '10.64.4.0/24', '10.128.2.0/24', 102]);
    } finally {
      fx.cleanup();
    }
  });
});
