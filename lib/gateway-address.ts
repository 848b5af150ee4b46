/**
 * The environment variable that carries a gateway's public address from Terraform (the
 * configuration construct's local-exec) to Ansible (the rendered inventory's ansible_host).
 */
export const GATEWAY_ADDRESS_ENV = 'RAS_GATEWAY_ADDRESS';
