/** Allocation from the fleet pools: lowest free, never overlapping, never moving. */
import { allocate, AllocationError, clientPoolPrefix } from '../../events/allocate';
import { applyEvent } from '../../events/apply';
import { loadFleet } from '../../contract/load';
import type { FleetSettings } from '../../contract/types';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
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

describe('allocation across a region\'s backbone links', () => {
  const links = {
    ...fleet,
    regions: { r1: { backboneLinks: [{ name: 'b2', edgeNetwork: '10.253.8.0/24' }, { name: 'b3', edgeNetwork: '10.253.9.0/24' }] } },
  } as unknown as FleetSettings;
  const taken = (byLink: Record<string, number[]>, vlans: number[] = []) => ({ cidrs: [], vlans, vlansOnLink: new Map(Object.entries(byLink)) });
  const onR1 = { ...request, region: 'r1' };

  it('the lowest id free on the region\'s first link with room, in file order; an added link is named in the contract', () => {
    expect(allocate(links, taken({ r1: [100, 101, 103] }), onR1)).toMatchObject({ vlanId: 102, allocated: ['network.vpcCidr', 'gateway.clientPool', 'network.vlanId'] });
    expect(allocate(links, taken({ r1: [100, 101, 102, 103], 'r1/b2': [100] }), onR1)).toMatchObject({
      vlanId: 101,
      backboneLink: 'b2',
      allocated: ['network.vpcCidr', 'gateway.clientPool', 'network.vlanId', 'network.backboneLink'],
    });
    // Another region's link, and the same ids on another link, take nothing from this one.
    expect(allocate(links, taken({ r1: [100, 101, 102, 103], 'r1/b2': [100, 101, 102, 103], r2: [100] }), onR1)).toMatchObject({ vlanId: 100, backboneLink: 'b3' });
    // Purged tenants' ids stay reserved on every link.
    expect(allocate(links, taken({ r1: [100, 101, 102, 103] }, [100]), onR1)).toMatchObject({ vlanId: 101, backboneLink: 'b2' });
  });

  it('a named link is allocated on that link only', () => {
    expect(allocate(links, taken({ 'r1/b3': [100] }), { ...onR1, backboneLink: 'b3' })).toMatchObject({ vlanId: 101, backboneLink: 'b3', allocated: ['network.vpcCidr', 'gateway.clientPool', 'network.vlanId'] });
    expect(() => allocate(links, taken({ 'r1/b3': [100, 101, 102, 103] }), { ...onR1, backboneLink: 'b3' })).toThrow('no free VLAN id is left on the backbone link b3 of r1 (fleet range 100-103)');
  });

  it('exhaustion names the region\'s links and the way out', () => {
    const full = [100, 101, 102, 103];
    expect(() => allocate(links, taken({ r1: full, 'r1/b2': full, 'r1/b3': full }), onR1)).toThrow(
      'no free VLAN id is left on any backbone link of r1 (r1, r1/b2, r1/b3; fleet range 100-103 on each): add a link to regions.r1.backboneLinks in the fleet settings',
    );
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
      // VLAN ids are unique per backbone link: 102 is kitakaze-logistics' on ap-northeast-3's link only
      // (ap-northeast-1's link holds 100 for aoba-bank, 101, 103 and tsubame-travel's 104).
      expect(after.find(([id]) => id === 'chitose-air')).toEqual(['chitose-air', '10.64.4.0/24', '10.128.2.0/24', 102]);
    } finally {
      fx.cleanup();
    }
  });
});

describe('allocation through events onto added links', () => {
  it('fills the first link, then names the added one in the new contract; a given link is kept; one id twice on a link is refused', async () => {
    const fx = makeFixture();
    try {
      const doc = parseDocument(readFileSync(fx.paths.fleetFile, 'utf8'));
      doc.setIn(['pools', 'vlan'], doc.createNode({ min: 101, max: 104 }, { flow: true }));
      doc.setIn(['regions', 'ap-northeast-1', 'backboneLinks'], [
        { name: 'b2', edgeNetwork: '10.253.8.0/24', attachmentId: 'tgw-attach-0b2b2b2b2b2b2b2b2' },
        { name: 'b3', edgeNetwork: '10.253.9.0/24', attachmentId: 'tgw-attach-0b3b3b3b3b3b3b3b3' },
      ]);
      writeFileSync(fx.paths.fleetFile, doc.toString());
      // ap-northeast-1's first link holds 101, 103 and 104: 102 is its last free id.
      expect((await applyEvent(createdEvent('aoba-bank', 1, 1), fx.options())).allocated).toMatchObject({ 'network.vlanId': 102 });
      expect((await applyEvent(createdEvent('chitose-air', 1, 2), fx.options())).allocated).toMatchObject({ 'network.vlanId': 101, 'network.backboneLink': 'b2' });
      expect(fx.tenantText('chitose-air')).toMatch(/\n {2}backboneLink: b2\n/);
      const given = createdEvent('daikoku-rail', 1, 3, { network: { linkedService: 'private-backbone', backboneLink: 'b3' } });
      expect((await applyEvent(given, fx.options())).allocated).toEqual(expect.not.objectContaining({ 'network.backboneLink': expect.anything() }));
      const links = Object.fromEntries(loadFleet(fx.paths).tenants.map((t) => [t.id, [t.network.backbone.link, t.network.vlanId]]));
      expect(links).toMatchObject({ 'aoba-bank': ['ap-northeast-1', 102], 'chitose-air': ['ap-northeast-1/b2', 101], 'daikoku-rail': ['ap-northeast-1/b3', 101] });
      const clash = createdEvent('ebisu-foods', 1, 4, { network: { linkedService: 'private-backbone', backboneLink: 'b2', vlanId: 101 } });
      const err = await applyEvent(clash, fx.options()).then(() => undefined, (e: unknown) => e as { problems: { code: string; field: string }[] });
      expect(err?.problems.map((p) => `${p.code} ${p.field}`)).toEqual(expect.arrayContaining(['RAS130 network.vlanId']));
    } finally {
      fx.cleanup();
    }
  });
});
