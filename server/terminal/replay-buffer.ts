const INITIAL_BYTES = 4 * 1024;
const NEWLINE = 0x0a;

/**
 * The last `capacity` bytes of a terminal's output, shown again when the browser re-attaches
 * (reload, dropped connection). Bytes are copied in: keeping the socket's own chunks would pin
 * the much larger read buffers they are slices of. Storage grows on demand, so a quiet terminal
 * costs a few KiB.
 */
export class ReplayBuffer {
  private data = Buffer.alloc(0);
  /** Position of the oldest byte in `data` (a ring once it is full). */
  private start = 0;
  private length = 0;
  private trimmed = false;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.length;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length >= this.capacity) {
      this.ensureStorage(this.capacity);
      this.data.set(chunk.subarray(chunk.length - this.capacity));
      this.start = 0;
      this.length = this.capacity;
      this.trimmed = true;
      return;
    }
    this.ensureStorage(Math.min(this.capacity, this.length + chunk.length));
    const size = this.data.length;
    const end = (this.start + this.length) % size;
    const first = Math.min(chunk.length, size - end);
    if (first === chunk.length) {
      this.data.set(chunk, end); // the usual case, without making views of the chunk
    } else {
      this.data.set(chunk.subarray(0, first), end);
      this.data.set(chunk.subarray(first), 0);
    }
    const overflow = this.length + chunk.length - size;
    if (overflow > 0) {
      this.start = (this.start + overflow) % size;
      this.length = size;
      this.trimmed = true;
    } else {
      this.length += chunk.length;
    }
  }

  /**
   * The stored output, starting on a line boundary once older output was cut off, so replay
   * never begins inside an escape sequence or a multi-byte character.
   */
  snapshot(): Buffer {
    const linear = Buffer.alloc(this.length);
    const head = Math.min(this.length, this.data.length - this.start);
    this.data.copy(linear, 0, this.start, this.start + head);
    this.data.copy(linear, head, 0, this.length - head);
    if (!this.trimmed) return linear;
    const newline = linear.indexOf(NEWLINE);
    return newline >= 0 ? linear.subarray(newline + 1) : linear.subarray(firstCharacterStart(linear));
  }

  clear(): void {
    this.data = Buffer.alloc(0);
    this.start = 0;
    this.length = 0;
    this.trimmed = false;
  }

  /** Grows the ring (keeping its order) until it can hold `needed` bytes without wrapping over itself. */
  private ensureStorage(needed: number): void {
    if (this.data.length >= needed) return;
    let size = Math.max(INITIAL_BYTES, this.data.length);
    while (size < needed) size *= 2;
    size = Math.min(size, this.capacity);
    const grown = Buffer.alloc(size);
    const head = Math.min(this.length, this.data.length - this.start);
    this.data.copy(grown, 0, this.start, this.start + head);
    this.data.copy(grown, head, 0, this.length - head);
    this.data = grown;
    this.start = 0;
  }
}

/** Skips UTF-8 continuation bytes (10xxxxxx) at the front. */
function firstCharacterStart(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && (bytes[i]! & 0xc0) === 0x80) i++;
  return i;
}
