/**
 * Finds the "command finished" marks in a terminal's output: OSC 133 ; D [; exit code]
 * ended by BEL or ESC \ (the shell-integration sequence; the lab host's bash prints it from
 * PROMPT_COMMAND). The bytes stay in the output: xterm.js ignores the sequence.
 */
const PREFIX = Buffer.from('\x1b]133;D');
/** Longest tail worth carrying to the next chunk: the prefix, ";", an exit code, ESC \. */
const MAX_MARK_BYTES = PREFIX.length + 1 + 10 + 2;
const MARK = /^\x1b\]133;D(?:;(-?\d{1,9}))?(?:\x07|\x1b\\)/;

/** What most chunks return: no mark in them. Shared, so scanning a flood allocates nothing. */
const NO_MARKS: readonly number[] = Object.freeze([]);

/**
 * Runs on every chunk of every terminal's output, so the common case (no mark, no partial mark
 * at the end) allocates nothing: at 300 sessions the per-chunk Buffer views it used to make were
 * the largest source of old-space garbage in the server (BENCHMARKS.md, "Load").
 */
export class CommandMarkerScanner {
  private carry: Buffer | undefined;

  /** Returns the exit code of every command that finished within this chunk. */
  scan(chunk: Buffer): readonly number[] {
    const text = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    let codes: number[] | undefined;
    let from = 0;
    for (;;) {
      const at = text.indexOf(PREFIX, from);
      if (at < 0) break;
      const candidate = text.subarray(at, at + MAX_MARK_BYTES).toString('latin1');
      const match = MARK.exec(candidate);
      if (match) {
        (codes ??= []).push(match[1] === undefined ? 0 : Number(match[1]));
        from = at + match[0].length;
      } else if (text.length - at < MAX_MARK_BYTES && isMarkPrefix(candidate)) {
        this.carry = Buffer.from(text.subarray(at));
        return codes ?? NO_MARKS;
      } else {
        from = at + PREFIX.length;
      }
    }
    const partial = partialPrefixLength(text);
    if (partial > 0) this.carry = Buffer.from(text.subarray(text.length - partial));
    return codes ?? NO_MARKS;
  }
}

/** Could this still become a complete mark with more bytes? */
function isMarkPrefix(text: string): boolean {
  return /^\x1b\]133;D(?:;-?\d{0,9})?\x1b?$/.test(text);
}

/** Length of the longest end of `text` that starts PREFIX (compared in place, no views). */
function partialPrefixLength(text: Buffer): number {
  for (let n = Math.min(PREFIX.length - 1, text.length); n > 0; n--) {
    const start = text.length - n;
    let i = 0;
    while (i < n && text[start + i] === PREFIX[i]) i++;
    if (i === n) return n;
  }
  return 0;
}
