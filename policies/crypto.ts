/**
 * Cryptography the whitepaper names (6.1 / 13.4). IKEv2 and L2TP/IPsec: AES 128/192/256 and
 * Triple-DES 168; PPTP: MPPE 128. Anything weaker than AES with a >= 2048-bit group is legacy and
 * allowed only under the contract's written opt-in.
 */

/** Known crypto profiles of the gateway configuration (their proposals are AES, plus 3DES in `legacy`). */
export const CRYPTO_PROFILES = ['strong', 'legacy'];

/** Proposal tokens that are legacy: Triple-DES, single DES, MD5, 768/1024-bit MODP groups. */
export const LEGACY_TOKENS = /^(3des|des|md5|modp768|modp1024|hmacmd5)$/;

/** Encryption algorithms as strongSwan names them; only AES (any mode) and 3DES are whitepaper-listed. */
const ENCRYPTION_TOKEN = /^(aes|3des|des|blowfish|cast|camellia|chacha20poly1305|serpent|twofish|null|idea|rc5)/;
const LISTED_ENCRYPTION = /^(aes(128|192|256)(gcm|ccm|ctr)?(8|12|16|64|96|128)?|3des)$/;

export function proposalTokens(proposal: string): string[] {
  return proposal.toLowerCase().split('-').filter((t) => t !== '');
}

export function legacyTokens(proposal: string): string[] {
  return proposalTokens(proposal).filter((t) => LEGACY_TOKENS.test(t));
}

/** Encryption algorithms of a proposal that the whitepaper does not list. */
export function unlistedCiphers(proposal: string): string[] {
  return proposalTokens(proposal).filter((t) => ENCRYPTION_TOKEN.test(t) && !LISTED_ENCRYPTION.test(t));
}
