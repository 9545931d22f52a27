import { CHECK_FENCE, parseCodeBlockInfo } from './code-block.ts';
import { deepFreeze } from './deep-freeze.ts';
import { describeFacts, everyFactSet, holds, type FactCondition } from './facts.ts';
import { readFrontMatter, type FrontMatter } from './front-matter.ts';
import type { CheckSpec, Hint, Lab, LabError, Solution, SolutionCommand, Step } from './lab.ts';
import { didYouMean } from './nearest.ts';
import { parseCheckBlock, type DeclaredHosts } from './parse-checks.ts';
import { Problems } from './problems.ts';
import { sectionMarkdown, splitSections, type Fence, type Section } from './sections.ts';
import { findWhenBlocks, type WhenBlock } from './when-blocks.ts';
import { imageMentions, imagesMade } from './image-mentions.ts';

export interface ParseOptions {
  /** The lab's id must equal this (the loader passes the folder name, so URLs match folders). */
  expectedId?: string;
  /**
   * When given, every image the front matter lists, and every Docker Hub image a code block
   * pulls or runs, must be one of these (`name:tag`): the images the platform can provide.
   */
  mirrorImages?: readonly string[];
}

export interface ParseResult {
  /** Set only when the file has no problem at all. */
  lab: Lab | undefined;
  errors: readonly LabError[];
}

/**
 * Parses and validates a lab file in one pass. Every problem is collected with its line, so an
 * instructor sees them all at once; a lab with any problem is not returned.
 */
export function parseLab(file: string, source: string, options: ParseOptions = {}): ParseResult {
  const problems = new Problems(file);
  const { frontMatter, hosts, lineOf, body } = readFrontMatter(source.replace(/\r\n/g, '\n'), problems);
  if (frontMatter) checkFrontMatter(frontMatter, lineOf, options, problems);
  const lines = body.split('\n');
  const sections = splitSections(body);
  const intro = sections[0]!;
  const whenAt = readWhenBlocks(body, sections, problems);
  checkCodeBlocks(intro, hosts, problems);
  const steps = groupSteps(sections.slice(1), problems).map((group, index) => readStep(group, index, lines, { hosts, whenAt }, problems));
  if (steps.length === 0) problems.add(lines.length, 'a lab needs at least one step: a `## Title` heading with text, a check block and a solution');
  checkUniqueStepIds(steps, problems);
  if (options.mirrorImages) checkImageMentions(sections, options.mirrorImages, problems);
  if (problems.count > 0 || !frontMatter) return { lab: undefined, errors: problems.list };
  const lab: Lab = {
    id: frontMatter.id,
    title: frontMatter.title,
    summary: frontMatter.summary,
    level: frontMatter.level,
    durationMinutes: frontMatter.duration,
    hosts: frontMatter.hosts,
    images: frontMatter.images,
    tags: frontMatter.tags,
    stepCount: steps.length,
    track: frontMatter.track,
    order: frontMatter.order,
    requires: frontMatter.requires,
    listed: frontMatter.listed,
    file,
    intro: sectionMarkdown(lines, intro.from, intro.to),
    steps,
    keyLines: Object.fromEntries(Object.keys(frontMatter).map((key) => [key, lineOf(key)])),
  };
  return { lab: deepFreeze(lab), errors: [] };
}

function checkFrontMatter(fm: FrontMatter, lineOf: (key: string) => number, options: ParseOptions, problems: Problems): void {
  if (options.expectedId !== undefined && fm.id !== options.expectedId) {
    problems.add(lineOf('id'), `front matter: id "${fm.id}" differs from the lab's folder name "${options.expectedId}": make them equal`);
  }
  if (options.mirrorImages) {
    const mirrored = options.mirrorImages;
    for (const image of fm.images) {
      const ref = image.includes(':') ? image : `${image}:latest`;
      if (!mirrored.includes(ref)) {
        problems.add(lineOf('images'), `front matter: image "${image}" is not in the platform mirror (it has ${mirrored.join(', ')})${didYouMean(ref, mirrored)}`);
      }
    }
  }
}

interface StepGroup {
  step: Section;
  hints: Section[];
  solution: Section | undefined;
}

function groupSteps(sections: readonly Section[], problems: Problems): StepGroup[] {
  const groups: StepGroup[] = [];
  for (const section of sections) {
    const current = groups.at(-1);
    if (section.kind === 'step') groups.push({ step: section, hints: [], solution: undefined });
    else if (!current) problems.add(section.line, `a ${section.kind} belongs to a step: put it under a \`## Step title\` heading`);
    else if (section.kind === 'hint') current.hints.push(section);
    else if (current.solution) problems.add(section.line, `step "${current.step.title}" has a second solution (the first is on line ${current.solution.line})`);
    else current.solution = section;
  }
  return groups;
}

/** What a step's parts are read against: the declared hosts, and the `:::when` block a line is in. */
interface StepContext {
  hosts: DeclaredHosts;
  whenAt: (line: number) => FactCondition | undefined;
}

function readStep(group: StepGroup, index: number, lines: readonly string[], context: StepContext, problems: Problems): Step {
  const { step } = group;
  const { hosts, whenAt } = context;
  checkCodeBlocks(step, hosts, problems);
  const checkBlocks = step.fences.filter(isCheckBlock);
  const checks: CheckSpec[] = [];
  for (const fence of checkBlocks) {
    if (fence.nested) problems.add(fence.line, 'a check block must start at the beginning of a line, outside lists and quotes');
    const when = whenAt(fence.line);
    checks.push(...parseCheckBlock(fence.content, fence.line + 1, hosts, problems).map((check) => (when ? { ...check, when } : check)));
  }
  if (checkBlocks.length === 0) {
    problems.add(step.line, `step "${step.title}" has no check: add a \`\`\`check block that says how to tell the step is done`);
  }
  checkEveryMachine(checks, step.line, `step "${step.title}" has no check`, problems);
  const hints: Hint[] = group.hints.map((h) => {
    checkCodeBlocks(h, hosts, problems);
    return { title: h.title || undefined, markdown: sectionMarkdown(lines, h.from, h.to), line: h.line };
  });
  return {
    id: slug(step.title) || `step-${index + 1}`,
    index,
    title: step.title,
    line: step.line,
    markdown: sectionMarkdown(lines, step.from, step.to, checkBlocks),
    checks,
    hints,
    solution: readSolution(group, lines, context, problems),
  };
}

function readSolution(group: StepGroup, lines: readonly string[], { hosts, whenAt }: StepContext, problems: Problems): Solution {
  const section = group.solution;
  if (!section) {
    problems.add(group.step.line, `step "${group.step.title}" has no solution: add a \`### Solution\` with the commands that complete it (\`\`\`bash HOST blocks)`);
    return { markdown: '', commands: [], line: group.step.line };
  }
  checkCodeBlocks(section, hosts, problems);
  const commands: SolutionCommand[] = section.fences.flatMap((f) => {
    const { host } = parseCodeBlockInfo(f.info);
    const when = whenAt(f.line);
    return host ? [{ host, script: f.content.replace(/\n$/, ''), line: f.line, ...(when ? { when } : {}) }] : [];
  });
  if (commands.length === 0) {
    problems.add(section.line, `the solution of step "${group.step.title}" has no command block: add one such as \`\`\`bash ${hosts?.[0] ?? 'node1'}`);
  }
  checkEveryMachine(commands, section.line, `the solution of step "${group.step.title}" has no command block`, problems);
  return { markdown: sectionMarkdown(lines, section.from, section.to), commands, line: section.line };
}

/**
 * Reads the `:::when` blocks of the body. Each stays inside one section (a step's text, a hint,
 * a solution), so a step is whole on every machine. Returns the condition a 1-based line is under.
 */
function readWhenBlocks(body: string, sections: readonly Section[], problems: Problems): (line: number) => FactCondition | undefined {
  const blocks = findWhenBlocks(body, (line, message) => problems.add(line + 1, message));
  const inOneSection = (b: WhenBlock) => sections.some((s) => s.from <= b.open && b.close < s.to);
  for (const block of blocks.filter((b) => !inOneSection(b))) {
    const heading = sections.find((s) => s.line - 1 > block.open && s.line - 1 < block.close);
    problems.add(block.open + 1, `this \`:::when\` block runs into the heading on line ${heading?.line}: close it with a \`:::\` line before the heading`);
  }
  return (line) => blocks.find((b) => b.open < line - 1 && line - 1 < b.close)?.condition;
}

/** Parts some of which hold only under `:::when`: on every machine, at least one must hold. */
function checkEveryMachine(parts: readonly { when?: FactCondition }[], line: number, missing: string, problems: Problems): void {
  if (parts.length === 0) return; // already reported as missing altogether
  for (const facts of everyFactSet()) {
    if (!parts.some((p) => holds(p.when, facts))) problems.add(line, `${missing} on a machine with ${describeFacts(facts)}: add one outside the \`:::when\` blocks, or one for that machine`);
  }
}

const isCheckBlock = (fence: Fence): boolean => parseCodeBlockInfo(fence.info).lang === CHECK_FENCE;

/** Code blocks name declared hosts, and check blocks appear only in a step's own text. */
function checkCodeBlocks(section: Section, hosts: DeclaredHosts, problems: Problems): void {
  for (const fence of section.fences) {
    if (isCheckBlock(fence) && section.kind !== 'step') {
      problems.add(fence.line, `a check block belongs in a step's text, not in ${section.kind === 'intro' ? 'the intro' : `its ${section.kind}`}`);
    }
    const { lang, host, extra } = parseCodeBlockInfo(fence.info);
    if (host !== undefined && hosts && !hosts.includes(host)) {
      problems.add(fence.line, `\`\`\`${lang} ${host}: host "${host}" is not declared in the front matter (hosts: ${hosts.join(', ')})${didYouMean(host, hosts)}`);
    }
    if (extra.length > 0) {
      problems.add(fence.line, `\`\`\`${lang} ${host}: unexpected "${extra.join(' ')}" after the host name (the format is \`\`\`bash HOST)`);
    }
  }
}

/** Languages of blocks whose commands a learner types or builds: shells, Dockerfiles, none given. */
const COMMAND_LANGS: ReadonlySet<string> = new Set(['', 'bash', 'sh', 'shell', 'console', 'dockerfile']);

/** A code block must not have learners pull or run an image the platform cannot give them. */
function checkImageMentions(sections: readonly Section[], available: readonly string[], problems: Problems): void {
  const fences = sections.flatMap((s) => s.fences).filter((f) => COMMAND_LANGS.has(parseCodeBlockInfo(f.info).lang.toLowerCase()));
  const made = new Set(fences.flatMap((f) => imagesMade(f.content)));
  for (const fence of fences) {
    for (const mention of imageMentions(fence.content, made)) {
      if (available.includes(mention.image)) continue;
      problems.add(
        fence.line + 1 + mention.lineOffset,
        `image "${mention.written}" is not in the platform mirror (it has ${available.join(', ')})${didYouMean(mention.image, available)}: ` +
          'use one it has, or have it added (`drydock images add`)',
      );
    }
  }
}

function checkUniqueStepIds(steps: readonly Step[], problems: Problems): void {
  const seen = new Map<string, Step>();
  for (const step of steps) {
    const first = seen.get(step.id);
    if (first) problems.add(step.line, `step id "${step.id}" is used twice (also line ${first.line}): give the steps different titles`);
    else seen.set(step.id, step);
  }
}

/** `Run a registry on port 5000` → `run-a-registry-on-port-5000`. */
function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '');
}
