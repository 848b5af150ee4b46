/**
 * The environment variable that carries a gateway's public address from Terraform (the
 * configuration construct's local-exec) to Ansible (the rendered inventory's ansible_host).
 */
export const GATEWAY_ADDRESS_ENV = 'RAS_GATEWAY_ADDRESS';

/**
 * The environment variable that carries the gateway instance's id the same way: SSH pins the
 * gateway's host key under it (HostKeyAlias), so a replacement instance at the same address is a
 * new host to trust, while a changed key on the same instance stops the hand-off.
 */
export const GATEWAY_INSTANCE_ENV = 'RAS_GATEWAY_INSTANCE';
