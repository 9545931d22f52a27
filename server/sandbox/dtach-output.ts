/**
 * What dtach itself writes into a terminal, around the shell's own output: it clears the screen
 * when a client attaches, and when the shell has ended it moves the cursor to the bottom and
 * says it is ending. The browser resets its terminal on attach anyway (and may have just written
 * a line there, which the clear would erase), and shows its own line when the shell ends, so
 * both are taken out.
 */
const ATTACH_CLEAR = Buffer.from('\x1b[H\x1b[J');
/** The notice's first line: dtach's client writes it line by line, so the two may arrive apart. */
const CURSOR_TO_BOTTOM = Buffer.from('\x1b[999H\r\n');
const END_NOTICE = Buffer.concat([CURSOR_TO_BOTTOM, Buffer.from('[EOF - dtach terminating]\r\n')]);
/** What dtach writes last, as it gives the terminal back: the cursor shown (harmless, kept). */
const SHOW_CURSOR = Buffer.from('\x1b[?25h');

/**
 * Strips dtach's attach clear and its end notice from a shell's output. The clear is the first
 * one in the stream (only the terminal's echo of input typed before dtach started can come
 * before it), written at once. The notice comes last, before the cursor is shown again; a
 * chunk that ends like its first line is held back until the next one says whether it was.
 */
export class DtachOutputFilter {
  private cleared = false;
  private held: Buffer | undefined;

  filter(chunk: Buffer): Buffer {
    let out = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = undefined;
    if (!this.cleared) {
      const at = out.indexOf(ATTACH_CLEAR);
      if (at >= 0) {
        this.cleared = true;
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + ATTACH_CLEAR.length)]);
      }
    }
    const tail = endsWith(out, SHOW_CURSOR) ? SHOW_CURSOR.length : 0;
    if (endsWith(out.subarray(0, out.length - tail), END_NOTICE)) {
      return Buffer.concat([out.subarray(0, out.length - tail - END_NOTICE.length), out.subarray(out.length - tail)]);
    }
    if (endsWith(out, CURSOR_TO_BOTTOM)) {
      this.held = Buffer.from(out.subarray(out.length - CURSOR_TO_BOTTOM.length));
      return out.subarray(0, out.length - CURSOR_TO_BOTTOM.length);
    }
    return out;
  }
}

function endsWith(chunk: Buffer, suffix: Buffer): boolean {
  return chunk.length >= suffix.length && chunk.compare(suffix, 0, suffix.length, chunk.length - suffix.length) === 0;
}
