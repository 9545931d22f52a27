import MarkdownIt from 'markdown-it';
import { CONDITION_NAMES, holds, parseCondition, type FactCondition, type PlatformFacts } from './facts.ts';
import { didYouMean } from './nearest.ts';

/**
 * A part of a lab's text that holds only on some machines:
 *
 *     :::when no-ipvs
 *     Text, code blocks, check blocks.
 *     :::
 *
 * Both lines start at the beginning of a line; inside a code block they are code.
 */
export interface WhenBlock {
  readonly condition: FactCondition;
  /** 0-based lines of the `:::when` and the closing `:::`. */
  readonly open: number;
  readonly close: number;
}

const OPEN = /^:::\s*when(?:\s+(.*?))?\s*$/;
const CLOSE = /^:::\s*$/;
const MARKER = /^:::/;

const md = new MarkdownIt();

/** Lines inside fenced code blocks, where `:::` is text, not a marker. */
function codeLines(text: string): Set<number> {
  const lines = new Set<number>();
  for (const token of md.parse(text, {})) {
    if ((token.type === 'fence' || token.type === 'code_block') && token.map) {
      for (let i = token.map[0]; i < token.map[1]; i++) lines.add(i);
    }
  }
  return lines;
}

/**
 * The well-formed `:::when` blocks of `text`. Each malformed marker (an unknown fact, a block
 * inside a block, one never closed, a `:::` closing nothing) is reported with its 0-based line.
 */
export function findWhenBlocks(text: string, report: (line: number, message: string) => void = () => {}): WhenBlock[] {
  const code = codeLines(text);
  const blocks: WhenBlock[] = [];
  let open: { line: number; condition: FactCondition | undefined } | undefined;
  text.split('\n').forEach((line, index) => {
    if (code.has(index) || !MARKER.test(line)) return;
    const opening = OPEN.exec(line);
    if (opening) {
      if (open) report(index, `\`:::when\` blocks do not nest: close the one on line ${open.line + 1} with a \`:::\` line first`);
      open = { line: index, condition: readCondition(opening[1] ?? '', (message) => report(index, message)) };
    } else if (CLOSE.test(line)) {
      if (!open) report(index, 'this `:::` line closes no `:::when` block');
      else if (open.condition) blocks.push({ condition: open.condition, open: open.line, close: index });
      open = undefined;
    } else {
      report(index, `unknown block "${line.trim()}": the lab format has \`:::when FACT\` ... \`:::\` (facts: ${CONDITION_NAMES.join(', ')})`);
    }
  });
  if (open) report(open.line, `\`:::when\` is not closed: end the block with a \`:::\` line`);
  return blocks;
}

function readCondition(words: string, report: (message: string) => void): FactCondition | undefined {
  const names = words.split(/\s+/).filter(Boolean);
  if (names.length !== 1) {
    report(`\`:::when\` names one fact, one of ${CONDITION_NAMES.join(', ')}${names.length ? ` (not "${names.join(' ')}")` : ''}`);
    return undefined;
  }
  const condition = parseCondition(names[0]!);
  if (!condition) report(`unknown fact "${names[0]}" in \`:::when\`${didYouMean(names[0]!, CONDITION_NAMES)}: the facts are ${CONDITION_NAMES.join(', ')}`);
  return condition;
}

/** The text as shown on a machine with these facts: other machines' blocks and the markers go. */
export function resolveWhen(text: string, facts: PlatformFacts): string {
  const blocks = findWhenBlocks(text);
  if (blocks.length === 0) return text;
  const lines = text.split('\n');
  const kept = lines.flatMap((line, i) => {
    const block = blocks.find((b) => b.open <= i && i <= b.close);
    if (!block) return [line];
    // A marker becomes a blank line, so the text around a block stays apart from it.
    if (i === block.open || i === block.close) return [''];
    return holds(block.condition, facts) ? [line] : [];
  });
  return kept.join('\n').replace(/^(\s*\n)+/, '').trimEnd();
}
