import hljs from 'highlight.js';
import MarkdownIt from 'markdown-it';
import { parseCodeBlockInfo } from './code-block.ts';
import type { Step } from './lab.ts';

/** A step's HTML, its parts rendered separately: hints and the solution are shown on demand. */
export interface RenderedStep {
  html: string;
  hints: { title: string | undefined; html: string }[];
  solutionHtml: string;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

/**
 * Code blocks become `<pre class="dd-code" data-host="node1">` (click to run in node1) or
 * `<pre class="dd-code" data-copy-only>`; `data-lang` names the language. The code inside is
 * highlighted by highlight.js (`hljs` classes: the page supplies a highlight.js theme).
 */
md.renderer.rules.fence = (tokens, index) => {
  const token = tokens[index]!;
  const { lang, host } = parseCodeBlockInfo(token.info);
  const code = token.content.replace(/\n$/, '');
  const body = hljs.getLanguage(lang) ? hljs.highlight(code, { language: lang, ignoreIllegals: true }).value : md.utils.escapeHtml(code);
  const target = host ? ` data-host="${md.utils.escapeHtml(host)}"` : ' data-copy-only=""';
  const language = lang ? ` data-lang="${md.utils.escapeHtml(lang)}"` : '';
  const codeClass = lang ? ` class="hljs language-${md.utils.escapeHtml(lang)}"` : ' class="hljs"';
  return `<pre class="dd-code"${target}${language}><code${codeClass}>${body}</code></pre>\n`;
};

/** Lab Markdown (an intro, a step, a hint) to HTML. Raw HTML in the source is escaped, not passed through. */
export function renderMarkdown(markdown: string): string {
  return md.render(markdown);
}

export function renderStep(step: Step): RenderedStep {
  return {
    html: renderMarkdown(step.markdown),
    hints: step.hints.map((h) => ({ title: h.title, html: renderMarkdown(h.markdown) })),
    solutionHtml: renderMarkdown(step.solution.markdown),
  };
}
