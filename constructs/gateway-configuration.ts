/**
 * The hand-off from Terraform to Ansible: after the gateway instance exists, run the tenant's
 * playbook against it, and run it again whenever the instance is replaced or the rendered
 * configuration changes. Terraform's built-in `terraform_data` needs no provider.
 *
 * No shell is involved: local-exec's `interpreter` is the ansible-playbook argv and the
 * `command` (appended as the last argument) is the playbook path, so no contract-derived text
 * is ever parsed by a shell; the gateway's address travels in the environment.
 */
import { DataResource } from 'cdktf/lib/terraform-data-resource';
import { Construct } from 'constructs';
import { GATEWAY_ADDRESS_ENV, GATEWAY_INSTANCE_ENV } from '../lib/gateway-address';
import { PropsCheck } from './validate';

export interface GatewayConfigurationProps {
  /** Id of the gateway instance; a new instance re-runs the playbook. */
  readonly instanceId: string;
  /** Address Ansible reaches the gateway at (passed in the environment, never on a command line). */
  readonly gatewayAddress: string;
  /** sha256 (64 hex digits) of the rendered inventory and variables (`writeGatewayConfig(...).hash`); a change re-runs the playbook. */
  readonly configurationHash: string;
  /** The rendered inventory, relative to the stack's folder (where Terraform runs) or absolute. */
  readonly inventoryFile: string;
  /** The playbook (ansible/site.yml), relative to the stack's folder or absolute. */
  readonly playbookFile: string;
  /** ansible.cfg to use, relative to the stack's folder or absolute. */
  readonly ansibleConfigFile: string;
  /**
   * The ansible-playbook executable.
   * @default 'ansible-playbook' (from PATH)
   */
  readonly ansiblePlaybook?: string;
  /**
   * Connection user on the gateway (a Linux user name).
   * @default - the inventory's `ansible_user` (the hardened image's operations account)
   */
  readonly remoteUser?: string;
}

export class GatewayConfiguration extends Construct {
  public readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: GatewayConfigurationProps) {
    super(scope, id);
    validateProps(this, props);
    const argv = [props.ansiblePlaybook ?? 'ansible-playbook', '--inventory', props.inventoryFile];
    if (props.remoteUser !== undefined) argv.push('--user', props.remoteUser);
    this.resource = new DataResource(this, 'Playbook', {
      triggersReplace: { instance: props.instanceId, configuration: props.configurationHash },
      provisioners: [
        {
          type: 'local-exec',
          interpreter: argv,
          command: props.playbookFile,
          environment: {
            [GATEWAY_ADDRESS_ENV]: props.gatewayAddress,
            [GATEWAY_INSTANCE_ENV]: props.instanceId,
            ANSIBLE_CONFIG: props.ansibleConfigFile,
            ANSIBLE_NOCOLOR: '1',
          },
        },
      ],
    });
  }
}

function validateProps(configuration: GatewayConfiguration, props: GatewayConfigurationProps): void {
  const check = new PropsCheck('GatewayConfiguration', configuration);
  check.matches('configurationHash', props.configurationHash, /^[0-9a-f]{64}$/, 'a sha256 digest, 64 lower-case hex digits');
  for (const field of ['inventoryFile', 'playbookFile', 'ansibleConfigFile', 'ansiblePlaybook'] as const) {
    // Each reaches ansible-playbook as one argv element or environment value; a NUL would cut it short.
    if (props[field] !== undefined) check.matches(field, props[field], /^[^\0]+$/, 'a non-empty path without NUL characters');
  }
  if (props.remoteUser !== undefined) check.matches('remoteUser', props.remoteUser, /^[a-z_][a-z0-9_-]{0,31}$/, "a Linux user name: 1-32 lower-case letters, digits, '_' and '-', not starting with a digit or '-'");
  check.done();
}
