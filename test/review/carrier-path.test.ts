/**
 * plan-review flags a change that opens the closed mobile carrier path towards the internet
 * (sakura-trading has closed mobile access), with the controls of the carrier-path rule.
 */
import { renderMarkdown } from '../../review/markdown';
import { reviewSides } from '../../review/review';
import { Workspace } from '../helpers/workspace';
import { editStack, side, synthesizedWorkspace } from './sides';

let base: Workspace;
let head: Workspace;
beforeAll(() => {
  base = synthesizedWorkspace();
  // What a careless code change could do: a default route to the internet gateway on the carrier
  // subnet's table, and an Elastic IP on the carrier interface.
  head = synthesizedWorkspace();
  editStack(head, 'sakura-trading', (json) => {
    json.resource.aws_route.CarrierInternet = {
      route_table_id: '${aws_route_table.Network_CarrierRouteTable_FA4B9890.id}',
      destination_cidr_block: '0.0.0.0/0',
      gateway_id: '${aws_internet_gateway.Network_InternetGateway_D8FF3F66.id}',
    };
    json.resource.aws_eip.CarrierIp = { domain: 'vpc', network_interface: '${aws_network_interface.CarrierInterface_B0D6873B.id}' };
  });
});
afterAll(() => [base, head].forEach((w) => w?.remove()));

test('opening the carrier path to the internet is a risk flag with its controls', () => {
  const review = reviewSides(side(base, 'main'), side(head, 'head'));
  const sakura = review.tenants.find((t) => t.tenant === 'sakura-trading')!;
  const flags = sakura.risks.filter((r) => r.code === 'carrier-path-opened');
  expect(flags.map((r) => `${r.address} ${r.attribute}`).sort()).toEqual(['aws_eip.CarrierIp network_interface', 'aws_route.CarrierInternet gateway_id']);
  for (const f of flags) expect(f.controls).toEqual(['CLD9.5.1', '13.1.3']);
  expect(review.risky).toBe(true);
  expect(renderMarkdown(review)).toContain('carrier-path-opened');
  // The other tenants have no carrier path: nothing flagged, nothing changed.
  expect(review.tenants.map((t) => t.tenant)).toEqual(['sakura-trading']);
});

test('the carrier path as synthesized, on both sides: no flag', () => {
  const review = reviewSides(side(base, 'main'), side(base, 'main'));
  expect(review.tenants).toEqual([]);
});
