/**
 * Several backbone links per region (contract/backbone-links.ts): fleet.yaml's `backboneLinks`, a
 * tenant's `network.backboneLink`, VLAN ids unique per link (RAS130), the links' attachment ids
 * from the recorded fleet outputs, and the loader's errors naming file, line and field.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadFleet } from '../../contract/load';
import type { Problem } from '../../contract/problems';
import { Workspace } from '../helpers/workspace';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.remove());

const B2 = 'tgw-attach-0b2b2b2b2b2b2b2b2';
const B3 = 'tgw-attach-0b3b3b3b3b3b3b3b3';

/** Sets one field of fleet.yaml, keeping the rest of the file as written. */
function editFleet(path: (string | number)[], value: unknown): void {
  const doc = parseDocument(ws.read('fleet.yaml'));
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, value);
  ws.write('fleet.yaml', doc.toString());
}

/** ap-northeast-1 with two added links, b2 and b3 (with or without their attachment ids). */
function addLinks(withIds = true): void {
  editFleet(['regions', 'ap-northeast-1', 'backboneLinks'], [
    { name: 'b2', edgeNetwork: '10.253.8.0/24', ...(withIds ? { attachmentId: B2 } : {}) },
    { name: 'b3', edgeNetwork: '10.253.9.0/24', ...(withIds ? { attachmentId: B3 } : {}) },
  ]);
}

const lineOf = (file: string, text: string) => ws.read(file).split('\n').findIndex((l) => l.includes(text)) + 1;
const shown = (ps: readonly Problem[]) => ps.map((p) => `${p.code} ${p.field} ${p.file.replace(/^.*\//, '')}`);

test('a tenant on an added link: its model carries the link and its attachment; the others keep the first link', () => {
  addLinks();
  ws.edit('sakura-trading', ['network', 'backboneLink'], 'b2');
  const fleet = loadFleet(ws.paths);
  const backbone = (id: string) => fleet.tenants.find((t) => t.id === id)!.network.backbone;
  expect(backbone('sakura-trading')).toEqual({ link: 'ap-northeast-1/b2', name: 'b2', attachmentId: B2 });
  expect(backbone('minato-design')).toEqual({ link: 'ap-northeast-1', attachmentId: 'tgw-attach-0f1e2d3c4b5a69788' });
  expect(backbone('kitakaze-logistics')).toEqual({ link: 'ap-northeast-3', attachmentId: 'tgw-attach-0e1d2c3b4a5968776' });
});

test('RAS130: the same VLAN id on two links of one region is two VLANs (accepted); twice on one link is refused', () => {
  addLinks();
  // minato-design holds 103 on ap-northeast-1's first link.
  ws.edit('sakura-trading', ['network', 'backboneLink'], 'b2');
  ws.edit('sakura-trading', ['network', 'vlanId'], 103);
  expect(ws.problems()).toEqual([]);
  ws.edit('tsubame-travel', ['network', 'backboneLink'], 'b2');
  ws.edit('tsubame-travel', ['network', 'vlanId'], 103);
  const found = ws.problems();
  expect(shown(found)).toEqual(['RAS130 network.vlanId sakura-trading.yaml', 'RAS130 network.vlanId tsubame-travel.yaml']);
  expect(found[0].message).toBe('VLAN id 103 (backbone link b2 of ap-northeast-1) is also used by tsubame-travel (' + found[1].file + ')');
  expect(found[0].line).toBe(lineOf('tenants/sakura-trading.yaml', 'vlanId: 103'));
});

test('RAS102: a backboneLink its region does not have, located in the tenant file', () => {
  addLinks();
  ws.edit('sakura-trading', ['network', 'backboneLink'], 'b9');
  const [p, ...rest] = ws.problems();
  expect(rest).toEqual([]);
  expect(`${p.code} ${p.field}`).toBe('RAS102 network.backboneLink');
  expect(p.line).toBe(lineOf('tenants/sakura-trading.yaml', 'backboneLink: b9'));
  expect(p.message).toBe('b9 is not a backbone link of ap-northeast-1 in the fleet file (its backboneLinks: b2, b3)');
  // A region with its first link only.
  ws.edit('sakura-trading', ['network', 'backboneLink'], undefined);
  ws.edit('kitakaze-logistics', ['network', 'backboneLink'], 'b2');
  expect(ws.problems().map((x) => x.message)).toEqual(['b2 is not a backbone link of ap-northeast-3 in the fleet file (it has only its first link: leave backboneLink out)']);
});

test('RAS010: a link name that is not a plain name, a link without its edge network, a link named twice', () => {
  editFleet(['regions', 'ap-northeast-1', 'backboneLinks'], [{ name: 'B2;reboot', edgeNetwork: '10.253.8.0/24' }, { name: 'b3' }]);
  const found = ws.problems();
  expect(shown(found)).toEqual(['RAS010 regions.ap-northeast-1.backboneLinks[0].name fleet.yaml', 'RAS010 regions.ap-northeast-1.backboneLinks[1].edgeNetwork fleet.yaml']);
  expect(found[0].line).toBe(lineOf('fleet.yaml', 'B2;reboot'));
  addLinks();
  editFleet(['regions', 'ap-northeast-1', 'backboneLinks', 1, 'name'], 'b2');
  const twice = ws.problems();
  expect(shown(twice)).toEqual(['RAS010 regions.ap-northeast-1.backboneLinks[1].name fleet.yaml']);
  expect(twice[0].message).toBe('backbone link b2 is named twice in ap-northeast-1');
});

test('RAS111: a link\'s edge network overlapping another edge network or a pool', () => {
  addLinks();
  editFleet(['regions', 'ap-northeast-1', 'backboneLinks', 1, 'edgeNetwork'], '10.253.0.128/25');
  const [p, ...rest] = ws.problems();
  expect(rest).toEqual([]);
  expect(`${p.code} ${p.field}`).toBe('RAS111 regions.ap-northeast-1.backboneLinks[1].edgeNetwork');
  expect(p.message).toBe('10.253.0.128/25 overlaps regions.ap-northeast-1.edgeNetworks.backbone 10.253.0.0/24');
});

describe('the links\' attachment ids come from the fleet stack\'s recorded outputs', () => {
  function record(outputs: unknown): void {
    mkdirSync(join(ws.dir, 'fleet-outputs'), { recursive: true });
    ws.write('fleet-outputs/ap-northeast-1.json', `${JSON.stringify(outputs, null, 2)}\n`);
  }
  const recorded = (ids: unknown) => ({ backboneLinkAttachmentIds: { sensitive: false, type: ['map', 'string'], value: ids } });

  test('RAS103: the region\'s tenants wait for the links\' ids, named', () => {
    addLinks(false);
    const found = ws.problems();
    expect(shown(found)).toEqual(['RAS103 region minato-design.yaml', 'RAS103 region sakura-trading.yaml', 'RAS103 region tsubame-travel.yaml']);
    expect(found[0].message).toContain('has no backboneLinkAttachmentIds.b2, backboneLinkAttachmentIds.b3: apply its fleet stack');
  });

  test('recorded as `terraform output -json` writes the map: the tenants route to them', () => {
    addLinks(false);
    record(recorded({ b2: B2, b3: B3 }));
    ws.edit('sakura-trading', ['network', 'backboneLink'], 'b3');
    expect(loadFleet(ws.paths).tenants.find((t) => t.id === 'sakura-trading')!.network.backbone.attachmentId).toBe(B3);
  });

  test('RAS104: an id that is not one, a link fleet.yaml does not have, an id contradicting fleet.yaml: located in the record', () => {
    addLinks(false);
    record(recorded({ b2: 'tgw-attach-$(reboot)', b3: B3, b7: B2 }));
    const found = ws.problems();
    expect(found.map((p) => `${p.code} ${p.field} ${p.file.replace(/^.*\//, '')}:${p.line}`)).toEqual([
      'RAS104 backboneLinkAttachmentIds.value.b2 ap-northeast-1.json:9',
      'RAS104 backboneLinkAttachmentIds.value.b7 ap-northeast-1.json:11',
      // b2's id is refused, so the region still lacks it.
      'RAS103 region minato-design.yaml:14',
      'RAS103 region sakura-trading.yaml:15',
      'RAS103 region tsubame-travel.yaml:14',
    ]);
    expect(found[0].message).toBe('"tgw-attach-$(reboot)" is not a valid transit gateway attachment id for backbone link b2 of ap-northeast-1');
    expect(found[1].message).toBe('b7 is not one of regions.ap-northeast-1.backboneLinks in the fleet settings');
    addLinks(true);
    record(recorded({ b2: B3, b3: B3 }));
    expect(ws.problems().map((p) => p.message)).toEqual([`${B3} differs from regions.ap-northeast-1.backboneLinks[0].attachmentId ${B2} in the fleet settings: keep only one`]);
    record({ backboneLinkAttachmentIds: { value: ['b2'] } });
    expect(shown(ws.problems())).toEqual(['RAS104 backboneLinkAttachmentIds.value ap-northeast-1.json']);
  });
});
