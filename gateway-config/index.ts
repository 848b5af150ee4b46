/** Gateway configuration rendered from the tenant model, for the Ansible roles in ansible/. */
export { planAddresses, type AddressPlan, type GroupAddresses } from './address-plan';
export { GATEWAY_ADDRESS_ENV, SECRET_NAMES, logArchiveBucket, renderGatewayConfig, type GatewayConfig } from './render';
export { gatewayConfigHash, hostVarsYaml, inventoryYaml, writeGatewayConfig, type GatewayConfigOptions, type WrittenGatewayConfig } from './write';
export { OPERATIONS_SSHD_FILE, operationsUserData } from './cloud-init';
