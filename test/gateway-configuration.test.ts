import { Testing, TerraformStack } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { GatewayConfiguration } from '../constructs/gateway-configuration';

const HASH = 'a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

function synth(): Record<string, any> {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new GatewayConfiguration(stack, 'GatewayConfiguration', {
    instanceId: 'i-0123456789abcdef0',
    gatewayAddress: '203.0.113.10',
    configurationHash: HASH,
    inventoryFile: 'ansible/inventory.yml',
    playbookFile: '../../../ansible/site.yml',
    ansibleConfigFile: '../../../ansible/ansible.cfg',
  });
  return JSON.parse(Testing.synth(stack, true));
}

describe('GatewayConfiguration', () => {
  test('is a terraform_data replaced when the instance or the rendered configuration changes', () => {
    const data = Object.values(synth().resource.terraform_data as Record<string, any>);
    expect(data).toHaveLength(1);
    expect(data[0].triggers_replace).toEqual({ instance: 'i-0123456789abcdef0', configuration: HASH });
  });

  test('runs ansible-playbook as an argv (no shell) with the address in the environment', () => {
    const [data] = Object.values(synth().resource.terraform_data as Record<string, any>);
    const [exec] = data.provisioner.map((p: Record<string, any>) => p['local-exec']);
    expect(exec.interpreter).toEqual(['ansible-playbook', '--inventory', 'ansible/inventory.yml']);
    expect(exec.command).toBe('../../../ansible/site.yml');
    expect(exec.environment).toEqual(expect.objectContaining({ RAS_GATEWAY_ADDRESS: '203.0.113.10', RAS_GATEWAY_INSTANCE: 'i-0123456789abcdef0', ANSIBLE_CONFIG: '../../../ansible/ansible.cfg' }));
    expect(JSON.stringify(exec)).not.toMatch(/\/bin\/(ba)?sh|"-c"/);
  });
});
