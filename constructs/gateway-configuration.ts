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
import { GATEWAY_ADDRESS_ENV } from '../lib/gateway-address';

export interface GatewayConfigurationProps {
  /** Id of the gateway instance; a new instance re-runs the playbook. */
  readonly instanceId: string;
  /** Address Ansible reaches the gateway at (passed in the environment, never on a command line). */
  readonly gatewayAddress: string;
  /** sha256 of the rendered inventory and variables (`writeGatewayConfig(...).hash`); a change re-runs the playbook. */
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
   * Connection user on the gateway.
   * @default - the inventory's `ansible_user` (the hardened image's operations account)
   */
  readonly remoteUser?: string;
}

export class GatewayConfiguration extends Construct {
  public readonly resource: DataResource;

  constructor(scope: Construct, id: string, props: GatewayConfigurationProps) {
    super(scope, id);
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
            ANSIBLE_CONFIG: props.ansibleConfigFile,
            ANSIBLE_NOCOLOR: '1',
          },
        },
      ],
    });
  }
}
