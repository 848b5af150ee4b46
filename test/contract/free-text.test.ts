/**
 * Contract free text (customer name, legacy opt-in approver and reason) and labels: ordinary
 * Japanese is accepted; every character a YAML, Jinja or Terraform reader along the way treats
 * specially is refused with file, line and field, before anything is written.
 */
import { loadFleet } from '../../contract/load';
import type { Problem } from '../../contract/problems';
import { HOSTILE_STRINGS } from '../helpers/hostile-strings';
import { Workspace } from '../helpers/workspace';

let ws: Workspace;
beforeEach(() => {
  ws = new Workspace();
});
afterEach(() => ws.remove());

function problems(): readonly Problem[] {
  return ws.problems();
}

const JAPANESE = 'さくら・商事「東京」（本社）、営業部。ー～\u3000株式会社';

test('free text accepts Japanese punctuation and full-width characters', () => {
  ws.edit('sakura-trading', ['customer', 'name'], JAPANESE);
  expect(problems()).toEqual([]);
  expect(loadFleet(ws.paths).tenants.find((t) => t.id === 'sakura-trading')?.contract.customer.name).toBe(JAPANESE);
});

test('labels accept the katakana middle dot and Japanese punctuation', () => {
  ws.edit('sakura-trading', ['labels', 'RAM-0001001'], '本社・支店（東京）リモートアクセス、営業用');
  expect(problems()).toEqual([]);
});

// Every Unicode line or paragraph separator, C0/C1 control and invisible format character.
const SEPARATORS_AND_CONTROLS = ['\u2028', '\u2029', '\u0085', '\r', '\n', '\t', '\u0000', '\u001b', '\u007f', '\u009b', '\ufeff', '\u200b', '\u200e', '\u202e', '\u2066', '\ue000', '\u{e0001}'];

test.each(SEPARATORS_AND_CONTROLS.map((c) => [`U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`, c]))(
  'customer.name with %s is refused with file, line, field and the character named',
  (cp, ch) => {
    ws.edit('sakura-trading', ['customer', 'name'], `Sakura${ch}strongswan_crypto_profile: legacy`);
    const found = problems();
    expect(found.map((p) => `${p.code} ${p.field}`)).toEqual(['RAS010 customer.name']);
    expect(found[0].file).toMatch(/sakura-trading\.yaml$/);
    expect(found[0].line).toBe(ws.read('tenants/sakura-trading.yaml').split('\n').findIndex((l) => l.startsWith('  name:')) + 1);
    expect(found[0].message).toContain(`(${cp}`);
    // The message itself carries no raw invisible or line-breaking character.
    expect(found[0].message).not.toMatch(/[\p{C}\p{Zl}\p{Zp}]/u);
  },
);

test.each(['{{ 7 * 7 }}', '{% if %}', '${aws_kms_key.x.arn}', '%{ if true }', '`id`', 'back\\slash'])('customer.name %j is refused', (text) => {
  ws.edit('sakura-trading', ['customer', 'name'], text);
  expect(problems().map((p) => `${p.code} ${p.field}`)).toEqual(['RAS010 customer.name']);
});

test('every hostile string is either refused in free text and labels, or free of template and break characters', () => {
  for (const text of HOSTILE_STRINGS) {
    for (const path of [['customer', 'name'], ['labels', 'RAM-0001001']]) {
      ws.edit('sakura-trading', path, text);
      const refused = problems().some((p) => p.field === path.join('.'));
      if (!refused) expect({ path, text }).toEqual({ path, text: expect.not.stringMatching(/[{}$`\\\p{C}\p{Zl}\p{Zp}]/u) });
    }
  }
});

test('a legacy opt-in approver with a line separator is refused too', () => {
  ws.edit('kitakaze-logistics', ['gateway', 'crypto', 'legacyOptIn', 'approvedBy'], 'Tanaka\u2028x: 1');
  expect(problems().map((p) => `${p.code} ${p.field}`)).toEqual(['RAS010 gateway.crypto.legacyOptIn.approvedBy']);
});

test('an unknown key holding a line separator is named with the character escaped', () => {
  ws.write('tenants/sakura-trading.yaml', ws.read('tenants/sakura-trading.yaml').replace('customer:\n', 'customer:\n  "x\u2028strongswan": 1\n'));
  const found = problems();
  expect(found.map((p) => `${p.code} ${p.field}`)).toEqual(['RAS010 customer.x\\u{2028}strongswan']);
});
