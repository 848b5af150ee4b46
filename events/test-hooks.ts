/**
 * TEST-ONLY crash points. When RAS_TEST_PAUSE_AT names a stage (`before-rename`,
 * `after-rename`, or `before-synth`: records written, tenant lock released, stack not yet
 * synthesized), the process writes the file named by RAS_TEST_PAUSE_MARKER and then blocks
 * forever at that stage, so a test can SIGKILL it there and prove that a writer killed
 * mid-apply leaves no torn contract and that the next apply (or `ras serve` at startup)
 * recovers, stack included. Both variables must be set; production never sets them
 * (documented in docs/contract-events.md).
 */
import { writeFileSync } from 'node:fs';

export type PauseStage = 'before-rename' | 'after-rename' | 'before-synth';

export function testPause(stage: PauseStage): void {
  const at = process.env.RAS_TEST_PAUSE_AT;
  const marker = process.env.RAS_TEST_PAUSE_MARKER;
  if (at !== stage || marker === undefined || marker === '') return;
  writeFileSync(marker, `${process.pid}\n`);
  // Block the whole thread (no event loop turns), as a process stuck in a slow disk would.
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0, 60_000);
}
