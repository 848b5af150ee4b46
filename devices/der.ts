/**
 * The few DER structures @peculiar/x509 has no class for: the name-constraints extension value
 * (RFC 5280 4.2.1.10) and the CRL number (5.2.3). Small enough to encode by hand and check with
 * openssl in the tests.
 */

export function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

export function derInteger(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a non-negative integer: ${value}`);
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  if (bytes.length === 0 || bytes[0] >= 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

/** One GeneralName of a subtree (context tags of RFC 5280's GeneralName CHOICE). */
export type SubtreeName =
  | { readonly email: string }
  | { readonly dns: string }
  | { readonly uri: string }
  | { readonly directoryName: Buffer }
  /** Address and mask, 8 bytes (IPv4) or 32 (IPv6). */
  | { readonly ip: Buffer };

function generalName(name: SubtreeName): Buffer {
  if ('email' in name) return tlv(0x81, Buffer.from(name.email, 'ascii'));
  if ('dns' in name) return tlv(0x82, Buffer.from(name.dns, 'ascii'));
  if ('uri' in name) return tlv(0x86, Buffer.from(name.uri, 'ascii'));
  if ('directoryName' in name) return tlv(0xa4, name.directoryName);
  return tlv(0x87, name.ip);
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0], excludedSubtrees [1] } */
export function nameConstraints(permitted: readonly SubtreeName[], excluded: readonly SubtreeName[]): Buffer {
  const subtrees = (tag: number, names: readonly SubtreeName[]): Buffer[] =>
    names.length === 0 ? [] : [tlv(tag, Buffer.concat(names.map((n) => tlv(0x30, generalName(n)))))];
  return tlv(0x30, Buffer.concat([...subtrees(0xa0, permitted), ...subtrees(0xa1, excluded)]));
}
