/**
 * The gateway's cryptography and the names of the variables that carry it (6.1 / 13.4 / 10.1.1):
 * one vocabulary that the contract, the rendered variables (gateway-config/), the Ansible roles'
 * argument specs (test/gateway-vocabulary.test.ts holds them equal), the compliance rules and
 * plan review all speak.
 */

/** Crypto profiles of the gateway configuration, strongest first (contract `gateway.crypto.profile`). */
export const CRYPTO_PROFILES = ['strong', 'legacy'] as const;
export type CryptoProfileName = (typeof CRYPTO_PROFILES)[number];

/** The profile a contract gets when it names none. */
export const DEFAULT_CRYPTO_PROFILE: CryptoProfileName = 'strong';

/** The profile that needs a written opt-in (legacy cryptography). */
export const LEGACY_CRYPTO_PROFILE: CryptoProfileName = 'legacy';

/** Position of a profile in CRYPTO_PROFILES (0 = strongest); -1 for a profile not known. */
export function profileStrength(profile: string): number {
  return (CRYPTO_PROFILES as readonly string[]).indexOf(profile);
}

/**
 * Proposal tokens (strongSwan names, split on `-`) that are legacy or weak: Triple-DES, single
 * DES, MD5 (any form), 768/1024-bit MODP groups, MPPE and RC4 (PPTP's). SHA-1 is not among them:
 * the strong profile keeps one SHA-1 ESP integrity item on purpose (stock Windows clients), see
 * ansible/README.md.
 */
export const WEAK_ALGORITHM_TOKENS: readonly string[] = ['3des', 'des', 'md5', 'hmacmd5', 'md5_128', 'modp768', 'modp1024', 'mppe', 'mppe128', 'rc4'];

export function proposalTokens(proposal: string): string[] {
  return proposal.toLowerCase().split('-').filter((t) => t !== '');
}

/** The weak tokens of one proposal, in its order. */
export function weakTokens(proposal: string): string[] {
  return proposalTokens(proposal).filter((t) => WEAK_ALGORITHM_TOKENS.includes(t));
}

/** Names of the rendered gateway variables that carry promises (gateway-config/render.ts writes them, ansible/roles read them). */
export const GATEWAY_VARIABLE_NAMES = {
  cryptoProfile: 'strongswan_crypto_profile',
  legacyOptIn: 'strongswan_legacy_opt_in',
  ikev2: 'strongswan_ikev2_enabled',
  l2tpIpsec: 'strongswan_l2tp_enabled',
  pptp: 'strongswan_pptp_enabled',
  profiles: 'strongswan_crypto_profiles',
  timezone: 'time_timezone',
  utcOffset: 'time_utc_offset',
  ntpServers: 'time_ntp_servers',
  operatorStream: 'logs_operator_stream',
  operatorDir: 'logs_operator_dir',
  operatorSources: 'logs_operator_sources',
  hardeningPackages: 'hardening_packages',
} as const;
