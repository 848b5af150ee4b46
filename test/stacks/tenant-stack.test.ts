import { ERASURE_DEADLINE_DAYS } from '../../commitments';
import { addDays } from '../../lib/calendar';
import { claimsMismatch, contractClaims } from '../../build/claims';
import { claimsOf } from '../../policies/address-space';
import { tenantView } from '../../policies/inputs/read';
import { exampleFleet, only, resources, synthTenant, type TfJson } from '../helpers/synth';

const fleet = exampleFleet();
const stacks: Record<string, TfJson> = Object.fromEntries(fleet.tenants.map((t) => [t.id, synthTenant(t.id, fleet)]));

describe.each(fleet.tenants.map((t) => t.id))('%s', (id) => {
  const json = stacks[id];
  const tenant = fleet.tenants.find((t) => t.id === id)!;

  test('one state per tenant: S3 backend keyed by tenant, encrypted, with a lock file', () => {
    expect(json.terraform.backend.s3).toEqual({
      bucket: 'ras-prod-terraform-state',
      key: `tenants/${id}/terraform.tfstate`,
      region: 'ap-northeast-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  test('provider pinned, region from the contract, limited to the fleet account', () => {
    expect(json.terraform.required_providers.aws.version).toBe('6.25.0');
    expect(json.provider.aws[0]).toMatchObject({ region: tenant.contract.region, allowed_account_ids: ['111122223333'] });
  });

  test('every resource carries the service codes and the customer labels', () => {
    const tags = json.provider.aws[0].default_tags[0].tags;
    for (const [kind, code] of Object.entries(tenant.contract.serviceCodes)) expect(tags[`ras:service-code:${kind}`]).toBe(code);
    for (const [code, label] of Object.entries(tenant.contract.labels ?? {})) expect(tags[`ras:label:${code}`]).toBe(label);
    expect(tags['ras:iso27017-scope']).toBe(tenant.scope.inScope ? 'in-scope' : 'out-of-scope');
  });

  test('reads no data source (plans offline, nothing looked up at plan time)', () => {
    expect(json).not.toHaveProperty('data');
  });

  test('references no other stack (TenantStack skips the cross-stack discovery pass)', () => {
    expect(Object.keys(json.output ?? {}).filter((o) => o.startsWith('cross-stack-output'))).toEqual([]);
    expect(JSON.stringify(json)).not.toContain('terraform_remote_state');
  });

  test('a log archive with the 90/30-day rules, and 400 days for the operator work', () => {
    const rules = only(json, 'aws_s3_bucket_lifecycle_configuration').rule as any[];
    const days = Object.fromEntries(rules.filter((r) => r.expiration?.[0]?.days).map((r) => [r.filter[0].prefix, r.expiration[0].days]));
    expect(days).toEqual({
      'logs/vpn-connection/': 90,
      'logs/access-control/': 90,
      'logs/device-authentication/': 90,
      'download/combined/': 30,
      'provider/flow-logs/': 90,
      'provider/operator-work/': 400,
    });
  });
});

test('sakura-trading (in scope, active): full network, attachment and gateway sized from its terminals', () => {
  const json = stacks['sakura-trading'];
  expect(only(json, 'aws_instance').instance_type).toBe('c6i.large');
  expect(only(json, 'aws_vpc').cidr_block).toBe('10.64.0.0/24');
  expect(only(json, 'aws_ec2_transit_gateway_route_table').tags['ras:vlan-id']).toBe('101');
  expect(only(json, 'aws_s3_bucket')).toMatchObject({ bucket: 'ras-prod-sakura-trading-logs', lifecycle: { prevent_destroy: true } });
  // Client pool traffic coming back from the backbone is routed to the gateway.
  expect(resources(json, 'aws_route')).toContainEqual(
    expect.objectContaining({ destination_cidr_block: '10.128.0.0/24', network_interface_id: expect.stringContaining('primary_network_interface_id') }),
  );
  const open = resources(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.cidr_ipv4 === '0.0.0.0/0');
  expect(open.map((r) => `${r.ip_protocol}/${r.from_port}`).sort()).toEqual(['udp/4500', 'udp/500']);
});

test('kitakaze-logistics (legacy opt-in): PPTP control port and GRE open, larger instance for 800 terminals', () => {
  const json = stacks['kitakaze-logistics'];
  const open = resources(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.cidr_ipv4 === '0.0.0.0/0');
  expect(open.map((r) => `${r.ip_protocol}/${r.from_port ?? '*'}`).sort()).toEqual(['47/*', 'tcp/1723', 'udp/4500', 'udp/500']);
  expect(only(json, 'aws_instance').instance_type).toBe('c6i.xlarge');
  expect(json.provider.aws[0].region).toBe('ap-northeast-3');
});

test('minato-design (terminated): no gateway or network; every object erased before termination + 45 days', () => {
  const json = stacks['minato-design'];
  for (const type of ['aws_instance', 'aws_vpc', 'aws_eip', 'aws_ec2_transit_gateway_vpc_attachment']) expect(resources(json, type)).toHaveLength(0);
  const rule = (only(json, 'aws_s3_bucket_lifecycle_configuration').rule as any[]).find((r) => r.id === 'erase-after-termination');
  expect(rule.filter).toEqual([{ prefix: '' }]);
  const expireOn = rule.expiration[0].date.slice(0, 10);
  const deadline = addDays('2026-11-15', ERASURE_DEADLINE_DAYS);
  // Current versions expire on expireOn, their noncurrent versions a day later: both before the deadline.
  expect(addDays(expireOn, rule.noncurrent_version_expiration[0].noncurrent_days)).toBe('2026-12-26');
  expect(addDays(expireOn, rule.noncurrent_version_expiration[0].noncurrent_days) < deadline).toBe(true);
  expect(only(json, 'aws_s3_bucket')).toMatchObject({ force_destroy: true, lifecycle: { prevent_destroy: false } });
  expect(only(json, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: false });
});

test('a Type B tenant (HTTPS relay, out of scope) opens only tcp/443 to the internet', () => {
  const json = synthTenant('tsubame-travel', fleet);
  const open = resources(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.cidr_ipv4 === '0.0.0.0/0');
  expect(open.map((r) => `${r.ip_protocol}/${r.from_port}-${r.to_port}`)).toEqual(['tcp/443-443']);
  expect(json.provider.aws[0].default_tags[0].tags['ras:iso27017-scope']).toBe('out-of-scope');
  expect(json.provider.aws[0].default_tags[0].tags['ras:gateway-type']).toBe('B');
});

test("VLAN claims: each active tenant's on its region's backbone link only (the attachment and its table), as its contract predicts: the Type B relay like Type A, and closed mobile's carrier attachment is no link", () => {
  const claimed = fleet.tenants
    .filter((t) => t.active)
    .map((t) => {
      const claims = claimsOf(tenantView(t.id, stacks[t.id], { missing: 'not rendered' }));
      expect(claimsMismatch(contractClaims(t), claims)).toBeUndefined();
      return [t.id, ...claims.vlans.map((c) => `${c.resource.split('.')[0]} ${c.value} on ${c.link}`)];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  expect(claimed).toEqual([
    ['kitakaze-logistics', 'aws_ec2_transit_gateway_vpc_attachment 102 on ap-northeast-3', 'aws_ec2_transit_gateway_route_table 102 on ap-northeast-3'],
    // Closed mobile: the carrier ranges ride the tenant's own table to the carrier attachment, which carries no VLAN of its own.
    ['sakura-trading', 'aws_ec2_transit_gateway_vpc_attachment 101 on ap-northeast-1', 'aws_ec2_transit_gateway_route_table 101 on ap-northeast-1'],
    ['tsubame-travel', 'aws_ec2_transit_gateway_vpc_attachment 104 on ap-northeast-1', 'aws_ec2_transit_gateway_route_table 104 on ap-northeast-1'],
  ]);
});
