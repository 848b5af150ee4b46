/**
 * Cryptography the whitepaper names (6.1 / 13.4). IKEv2 and L2TP/IPsec: AES 128/192/256 and
 * Triple-DES 168; PPTP: MPPE 128. Anything weaker than AES with a >= 2048-bit group is legacy and
 * allowed only under the contract's written opt-in. The profiles and the weak tokens are
 * commitments/gateway.ts's; only the whitepaper's cipher list is judged here.
 */
import { proposalTokens, WEAK_ALGORITHM_TOKENS, weakTokens } from '../commitments';

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

/** Transform kinds of a proposal token (strongSwan names); a token of no listed kind is ignored. */
const TOKEN_KIND: [RegExp, string][] = [
  [/^prf/, 'prf'],
  [/^(modp|ecp|curve|x25519|x448|brainpool)/, 'key exchange'],
  [ENCRYPTION_TOKEN, 'encryption'],
  [/^(md5|sha|hmacmd5|aesxcbc|aescmac)/, 'integrity'],
];

function isLegacy(token: string): boolean {
  return WEAK_ALGORITHM_TOKENS.includes(token);
}

function kindOf(token: string): string | undefined {
  return TOKEN_KIND.find(([re]) => re.test(token))?.[1];
}

/**
 * Proposal order is part of a profile: as responder strongSwan takes its own proposals in order
 * and, inside the first one that intersects the client's offer, its own algorithm order. So a
 * list lets a client that also offers stronger algorithms settle on legacy ones when (a) a
 * proposal mixes a legacy algorithm with a non-legacy one of the same kind (e.g.
 * `aes256-3des-sha256-modp2048-modp1024`), or (b) a proposal with legacy algorithms comes
 * before one without. Returns one sentence per problem; empty when the list is strongest first.
 */
export function proposalOrderProblems(list: readonly string[]): string[] {
  const problems: string[] = [];
  let firstLegacy: string | undefined;
  for (const p of list) {
    const tokens = proposalTokens(p);
    const legacy = tokens.filter(isLegacy);
    for (const kind of new Set(legacy.map(kindOf))) {
      const stronger = tokens.filter((t) => kindOf(t) === kind && !isLegacy(t));
      if (stronger.length > 0) problems.push(`${p} mixes legacy ${legacy.filter((t) => kindOf(t) === kind).join(', ')} with ${stronger.join(', ')} in one proposal`);
    }
    if (legacy.length > 0) firstLegacy ??= p;
    else if (firstLegacy !== undefined) problems.push(`${p} comes after the legacy proposal ${firstLegacy}`);
  }
  return problems;
}
