import { parseImageRef } from '../sandbox/images/image-ref.ts';

/** An image a code block has the learner pull or run from Docker Hub. */
export interface ImageMention {
  /** `name:tag`, `library/` left out: what the mirror's list holds. */
  image: string;
  /** As written, for the message. */
  written: string;
  /** Offset of its command's first line in the block (0-based). */
  lineOffset: number;
}

/** Options of `docker run` / `docker create` that take no value; every other long option takes one. */
const RUN_SWITCHES = new Set([
  '--detach', '--interactive', '--tty', '--rm', '--privileged', '--publish-all', '--init', '--read-only', '--sig-proxy',
  '--no-healthcheck', '--oom-kill-disable', '--disable-content-trust', '--quiet',
]);
/** Short options of `docker run` that take a value (`-p 80:80`); the others are switches (`-dit`). */
const RUN_SHORT_VALUES = new Set(['a', 'c', 'e', 'h', 'l', 'm', 'p', 'u', 'v', 'w']);
const SERVICE_SWITCHES = new Set(['--detach', '--quiet', '--no-healthcheck', '--no-resolve-image', '--read-only', '--init', '--tty', '--with-registry-auth']);
const SERVICE_SHORT_VALUES = new Set(['e', 'l', 'p', 'u', 'w']);

/**
 * The Docker Hub images a shell or Dockerfile block uses: `docker pull X`, `docker run [options]
 * X`, `docker create`, `docker service create [options] X`, `FROM X`. Images on another registry
 * (the learner's own, `127.0.0.1:5000/...`), names with shell variables, and names the block or
 * lab itself makes (`docker tag`, `docker build -t`, `docker commit`, a build stage) are left out.
 */
export function imageMentions(content: string, madeHere: ReadonlySet<string> = new Set()): ImageMention[] {
  const mentions: ImageMention[] = [];
  const stages = new Set<string>();
  for (const { words, lineOffset } of commands(content)) {
    const found = imageOf(words, stages);
    if (!found) continue;
    const ref = parseImageRef(found);
    if (!ref || ref.registry || ref.digest) continue;
    const image = `${ref.path.replace(/^library\//, '')}:${ref.tag}`;
    if (!madeHere.has(image)) mentions.push({ image, written: found, lineOffset });
  }
  return mentions;
}

/** Every `name:tag` a block makes: targets of `docker tag`, `docker build -t`, `docker commit`. */
export function imagesMade(content: string): string[] {
  const made: string[] = [];
  for (const { words } of commands(content)) {
    const [docker, sub, ...rest] = words;
    if (docker !== 'docker') continue;
    const args = sub === 'image' || sub === 'container' ? rest.slice(1) : rest;
    const verb = sub === 'image' || sub === 'container' ? rest[0] : sub;
    const targets = verb === 'tag' || verb === 'commit' ? [args.filter((a) => !a.startsWith('-'))[1]] : verb === 'build' ? args.flatMap((a, i) => (a === '-t' || a === '--tag' ? [args[i + 1]] : a.startsWith('--tag=') ? [a.slice(6)] : [])) : [];
    for (const target of targets) {
      const ref = target ? parseImageRef(target) : undefined;
      if (ref) made.push(`${ref.path.replace(/^library\//, '')}:${ref.tag}`);
    }
  }
  return made;
}

function imageOf(words: readonly string[], stages: Set<string>): string | undefined {
  if (/^from$/i.test(words[0] ?? '')) {
    const args = words.slice(1).filter((w) => !w.startsWith('--'));
    const as = args.findIndex((w) => /^as$/i.test(w));
    if (as > 0 && args[as + 1]) stages.add(args[as + 1]!.toLowerCase());
    const image = args[0];
    return image && image !== 'scratch' && !stages.has(image.toLowerCase()) ? image : undefined;
  }
  if (words[0] !== 'docker') return undefined;
  const [sub, ...rest] = words.slice(1);
  const command = sub === 'image' || sub === 'container' || sub === 'service' ? `${sub} ${rest.shift() ?? ''}` : (sub ?? '');
  if (command === 'pull' || command === 'image pull') return firstArgument(rest, new Set(['--all-tags', '--quiet', '--disable-content-trust']), new Set(['a', 'q']), true);
  if (['run', 'create', 'container run', 'container create'].includes(command)) return firstArgument(rest, RUN_SWITCHES, RUN_SHORT_VALUES);
  if (command === 'service create') return firstArgument(rest, SERVICE_SWITCHES, SERVICE_SHORT_VALUES);
  return undefined;
}

/** The first word that is not an option or an option's value. */
function firstArgument(words: readonly string[], switches: ReadonlySet<string>, shortValues: ReadonlySet<string>, shortAllSwitches = false): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') return words[i + 1];
    if (word.startsWith('--')) {
      if (!word.includes('=') && !switches.has(word)) i++;
    } else if (word.startsWith('-') && word.length > 1) {
      // `-dit` is three switches; `-p 80:80` and `-p80:80` carry a value.
      const letters = word.slice(1);
      const valueAt = shortAllSwitches ? -1 : [...letters].findIndex((l) => shortValues.has(l));
      if (valueAt === letters.length - 1) i++;
    } else {
      return /[$<>`{]/.test(word) ? undefined : word;
    }
  }
  return undefined;
}

/** The block's simple commands, words unquoted, with the line each starts on. */
function commands(content: string): { words: string[]; lineOffset: number }[] {
  const result: { words: string[]; lineOffset: number }[] = [];
  const lines = content.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    while (text.endsWith('\\') && i + 1 < lines.length) text = text.slice(0, -1) + ' ' + lines[++i]!;
    // A command substitution is one word whatever it holds (spaces, pipes): the value is unknown.
    text = text.replace(/^\s*\$\s+/, '').replace(/\$\((?:[^()]|\([^()]*\))*\)|`[^`]*`/g, '$_').replace(/(^|\s)#.*$/, '');
    for (const part of text.split(/&&|\|\||[;|]/)) {
      const words = (part.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
      while (words[0] === 'sudo' || /^\w+=/.test(words[0] ?? '')) words.shift();
      if (words.length > 0) result.push({ words, lineOffset: start });
    }
  }
  return result;
}
