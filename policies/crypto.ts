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

/** Transform kinds of a proposal token (strongSwan names); a token of no listed kind is ignored. */
const TOKEN_KIND: [RegExp, string][] = [
  [/^prf/, 'prf'],
  [/^(modp|ecp|curve|x25519|x448|brainpool)/, 'key exchange'],
  [ENCRYPTION_TOKEN, 'encryption'],
  [/^(md5|sha|hmacmd5|aesxcbc|aescmac)/, 'integrity'],
];

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
    const legacy = tokens.filter((t) => LEGACY_TOKENS.test(t));
    for (const kind of new Set(legacy.map(kindOf))) {
      const stronger = tokens.filter((t) => kindOf(t) === kind && !LEGACY_TOKENS.test(t));
      if (stronger.length > 0) problems.push(`${p} mixes legacy ${legacy.filter((t) => kindOf(t) === kind).join(', ')} with ${stronger.join(', ')} in one proposal`);
    }
    if (legacy.length > 0) firstLegacy ??= p;
    else if (firstLegacy !== undefined) problems.push(`${p} comes after the legacy proposal ${firstLegacy}`);
  }
  return problems;
}
