/** Writing to an open file descriptor. */
import { writeSync } from 'node:fs';

/** writeSync may write less than asked; loop until every byte is out. */
export function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}
