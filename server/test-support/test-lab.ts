/** Test support, not used in production code: a minimal valid lab without parsing a file. */
import type { Lab, Step } from '../labs/lab.ts';

export function testLab(options: { id?: string; hosts?: string[]; steps?: number } = {}): Lab {
  const hosts = options.hosts ?? ['node1'];
  const steps: Step[] = Array.from({ length: options.steps ?? 2 }, (_, index) => ({
    id: `step-${index + 1}`,
    index,
    title: `Step ${index + 1}`,
    line: 10 + index * 10,
    markdown: `Run this:\n\n\`\`\`bash ${hosts[0]}\necho step ${index + 1}\n\`\`\`\n`,
    checks: [{ kind: 'command', host: hosts[0]!, params: {}, title: `step ${index + 1} is done`, line: 12 + index * 10 }],
    hints: [{ title: undefined, markdown: 'Try the command above.', line: 15 + index * 10 }],
    solution: { markdown: '', commands: [{ host: hosts[0]!, script: `echo step ${index + 1}`, line: 17 + index * 10 }], line: 16 + index * 10 },
  }));
  return {
    id: options.id ?? 'test-lab',
    title: 'A test lab',
    summary: 'Used by the server tests.',
    level: 'beginner',
    durationMinutes: 10,
    hosts,
    images: [],
    tags: [],
    stepCount: steps.length,
    track: undefined,
    order: undefined,
    requires: [],
    listed: true,
    file: 'labs/test-lab/lab.md',
    intro: 'An intro.',
    steps,
    keyLines: {},
  };
}
