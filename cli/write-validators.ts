/**
 * `npm run build`'s last step: every JSON Schema validator of the program as ajv's standalone
 * code in dist/validators/ (lib/validators.ts says why). Run as `node dist/cli/write-validators.js`.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specs, standaloneModule, VALIDATORS_DIR } from '../lib/validators';
// The modules that define validators: importing them lists their specs.
import '../contract/schema-check';
import '../events/validate';
import '../policies/catalog';
import '../policies/suppressions';

export function writeValidators(dir = VALIDATORS_DIR): string[] {
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const names = specs().map((spec) => {
    writeFileSync(join(staging, `${spec.name}.js`), standaloneModule(spec));
    return spec.name;
  });
  // Replaced whole: a validator no longer defined leaves no file behind.
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return names;
}

// Silent: `cdktf synth` runs the build before the app, and its output is the engineer's screen.
if (require.main === module) writeValidators();
