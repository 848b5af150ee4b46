/** The force-new and control tables cover what the stacks really contain, with real control ids. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { controlsFor, controlsForGatewayVariable, sortControls, WHITEPAPER_CONTROLS } from '../../review/controls';
import { FORCE_NEW, forcesReplacement } from '../../review/force-new';
import { synthesizedWorkspace } from './sides';

test('every resource type the example stacks use has a force-new entry and at least one control', () => {
  const ws = synthesizedWorkspace();
  try {
    const types = new Set<string>();
    for (const id of ['sakura-trading', 'kitakaze-logistics', 'minato-design']) {
      const json = JSON.parse(readFileSync(join(ws.dir, 'cdktf.out', 'stacks', id, 'cdk.tf.json'), 'utf8'));
      Object.keys(json.resource).forEach((t) => types.add(t));
    }
    const uncovered = [...types].filter((t) => !(t in FORCE_NEW) || controlsFor(t).length === 0);
    expect(uncovered).toEqual([]);
  } finally {
    ws.remove();
  }
});

test('every control named is one of the whitepaper’s 42', () => {
  expect(WHITEPAPER_CONTROLS).toHaveLength(42);
  const named = new Set<string>();
  for (const type of Object.keys(FORCE_NEW)) controlsFor(type, ['instance_type', 'ami', 'root_block_device.encrypted', 'tags_all.x']).forEach((c) => named.add(c));
  for (const v of ['strongswan_crypto_profile', 'access_control_rules', 'time_timezone', 'logs_streams', 'monitoring_operations_cidr', 'hardening_x', 'other']) {
    controlsForGatewayVariable(v).forEach((c) => named.add(c));
  }
  expect([...named].filter((c) => !WHITEPAPER_CONTROLS.includes(c))).toEqual([]);
});

test('force-new matching ignores list indices and matches nested paths by prefix', () => {
  expect(forcesReplacement('aws_instance', 'root_block_device[0].encrypted')).toBe(true);
  expect(forcesReplacement('aws_instance', 'root_block_device.volume_size')).toBe(false);
  expect(forcesReplacement('aws_instance', 'instance_type')).toBe(false);
  expect(forcesReplacement('aws_subnet', 'cidr_block')).toBe(true);
  expect(forcesReplacement('aws_flow_log', 'destination_options[0].file_format')).toBe(true);
});

test('controls come out in the whitepaper’s order', () => {
  expect(sortControls(['18.1.1', '12.4.1', 'CLD8.1.5', '6.1.3', '12.4.1'])).toEqual(['6.1.3', 'CLD8.1.5', '12.4.1', '18.1.1']);
});
