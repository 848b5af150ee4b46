/**
 * Whole-file replacement that never leaves a torn file: the new content goes to a temporary
 * file in the same folder, is flushed to disk, then renamed over the target (rename is atomic
 * within one file system), and the folder entry itself is flushed. A reader sees the old file
 * or the new one, never a mix, even if the writer is killed at any point.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeAll } from '../lib/fd';

/** Temporary files end in `.tmp`, so the loader (which reads *.yaml) never sees one. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
}

/** `beforeRename` runs between the flushed temporary file and the rename (a test crash point). */
export function writeFileAtomic(target: string, content: string | Buffer, beforeRename?: () => void): void {
  const temp = tempPathFor(target);
  const fd = openSync(temp, 'wx', 0o644);
  try {
    writeAll(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp);
    throw e;
  }
  closeSync(fd);
  beforeRename?.();
  renameSync(temp, target);
  fsyncDir(dirname(target));
}

/** Removes a file and makes the removal durable. */
export function removeFileDurably(target: string): void {
  unlinkSync(target);
  fsyncDir(dirname(target));
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
