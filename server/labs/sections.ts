import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';

/** A fenced code block with its place in the lab file. */
export interface Fence {
  /** Line of the opening fence (1-based). */
  line: number;
  info: string;
  content: string;
  /** Inside a list item or a quote: such a block cannot be cut out of the text. */
  nested: boolean;
  /** Lines [from, to) of the block in the file, 0-based, fences included. */
  from: number;
  to: number;
}

export type SectionKind = 'intro' | 'step' | 'hint' | 'solution';

/**
 * A part of the lab body: the intro before the first `## ` heading, a step (`## Title`), or a
 * step's `### Hint` / `### Hint: title` / `### Solution` subsection.
 */
export interface Section {
  kind: SectionKind;
  /** Heading text as plain text (hint: the words after `Hint:`; intro: empty). */
  title: string;
  /** Line of the heading (1-based); 1 for the intro. */
  line: number;
  /** Lines [from, to) of the section's content, 0-based, heading excluded. */
  from: number;
  to: number;
  fences: Fence[];
}

const HINT = /^hint(?:\s*:\s*(.*))?$/i;
const SOLUTION = /^solution$/i;

const md = new MarkdownIt();

/** Splits a lab body into sections. `text` is the whole file, front matter blanked out. */
export function splitSections(text: string): Section[] {
  const tokens = md.parse(text, {});
  const lineCount = text.split('\n').length;
  const sections: Section[] = [{ kind: 'intro', title: '', line: 1, from: 0, to: lineCount, fences: [] }];
  tokens.forEach((token, i) => {
    if (token.type === 'heading_open' && token.level === 0 && token.map) {
      const title = plainText(tokens[i + 1]);
      const sub = token.tag === 'h3' ? subsection(title) : undefined;
      if (token.tag !== 'h2' && !sub) return;
      sections.at(-1)!.to = token.map[0];
      sections.push({ ...(sub ?? { kind: 'step', title }), line: token.map[0] + 1, from: token.map[1], to: lineCount, fences: [] });
    } else if (token.type === 'fence' && token.map) {
      sections.at(-1)!.fences.push({
        line: token.map[0] + 1,
        info: token.info,
        content: token.content,
        nested: token.level > 0,
        from: token.map[0],
        to: token.map[1],
      });
    }
  });
  return sections;
}

function subsection(title: string): { kind: SectionKind; title: string } | undefined {
  const hint = HINT.exec(title);
  if (hint) return { kind: 'hint', title: hint[1]?.trim() ?? '' };
  return SOLUTION.test(title) ? { kind: 'solution', title: '' } : undefined;
}

/** The Markdown of lines [from, to), minus the given blocks, without blank lines around it. */
export function sectionMarkdown(lines: readonly string[], from: number, to: number, cut: readonly Fence[] = []): string {
  const kept = lines.slice(from, to).filter((_, i) => !cut.some((f) => from + i >= f.from && from + i < f.to));
  return kept.join('\n').replace(/^(\s*\n)+/, '').trimEnd();
}

/** A heading's text without its Markdown (`Push \`hello-world\`` → `Push hello-world`). */
function plainText(inline: Token | undefined): string {
  return (inline?.children ?? [])
    .filter((t) => t.type === 'text' || t.type === 'code_inline')
    .map((t) => t.content)
    .join('')
    .trim();
}
