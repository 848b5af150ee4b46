/**
 * Cryptography the whitepaper names (6.1 / 13.4). IKEv2 and L2TP/IPsec: AES 128/192/256 and
 * Triple-DES 168; PPTP: MPPE 128. Anything weaker than AES with a >= 2048-bit group is legacy and
 * allowed only under the contract's written opt-in. The profiles and the weak tokens are
 * commitments/gateway.ts's; only the whitepaper's cipher list is judged here.
 */
import { proposalTokens, weakTokens } from '../commitments';

export { CRYPTO_PROFILES } from '../commitments';

/** Encryption algorithms as strongSwan names them; only AES (any mode) and 3DES are whitepaper-listed. */
const ENCRYPTION_TOKEN = /^(aes|3des|des|blowfish|cast|camellia|chacha20poly1305|serpent|twofish|null|idea|rc5)/;
const LISTED_ENCRYPTION = /^(aes(128|192|256)(gcm|ccm|ctr)?(8|12|16|64|96|128)?|3des)$/;

/** Legacy tokens of a proposal (commitments WEAK_ALGORITHM_TOKENS). */
export const legacyTokens = weakTokens;

/** Encryption algorithms of a proposal that the whitepaper does not list. */
export function unlistedCiphers(proposal: string): string[] {
  return proposalTokens(proposal).filter((t) => ENCRYPTION_TOKEN.test(t) && !LISTED_ENCRYPTION.test(t));
}
