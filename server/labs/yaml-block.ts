import { isNode, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';

/**
 * A YAML snippet taken from a lab file (front matter, a check block), parsed with positions so
 * every problem can name its line in the lab file, not in the snippet.
 */
export class YamlBlock {
  private readonly lines = new LineCounter();
  readonly root: Node | null;
  /** Syntax errors, each with its line in the lab file. */
  readonly syntaxErrors: readonly { line: number; message: string }[];

  /** `firstLine`: the lab-file line (1-based) of the snippet's first line. */
  constructor(
    text: string,
    private readonly firstLine: number,
  ) {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    this.root = doc.contents;
    this.syntaxErrors = doc.errors.map((e) => ({
      line: this.lineOf(e.pos[0]),
      message: `YAML: ${e.message.split('\n')[0]}`,
    }));
  }

  /** Lab-file line of a node (its first character), or of the snippet's start. */
  lineOfNode(node: unknown): number {
    return isNode(node) && node.range ? this.lineOf(node.range[0]) : this.firstLine;
  }

  /** Lab-file line of the key `key` in a mapping, falling back to the mapping's own line. */
  lineOfKey(map: YAMLMap, key: string | number | undefined): number {
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
    return this.lineOfNode(pair && isScalar(pair.key) ? pair.key : map);
  }

  private lineOf(offset: number): number {
    return this.firstLine + this.lines.linePos(offset).line - 1;
  }
}
