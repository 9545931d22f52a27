import type { KernelFeatures } from '../sandbox/kernel.ts';

/**
 * Platform facts: what is true of the machine a server runs on, which a lesson may depend on
 * (`:::when ipvs` ... `:::`). Each fact is present or not; `no-FACT` names its absence.
 */
export const PLATFORM_FACTS = ['ipvs'] as const;
export type PlatformFact = (typeof PLATFORM_FACTS)[number];
export type PlatformFacts = Readonly<Record<PlatformFact, boolean>>;

/** `ipvs` (present) or `no-ipvs` (absent). */
export interface FactCondition {
  readonly fact: PlatformFact;
  readonly present: boolean;
}

/** Every name a `:::when` line may give: `ipvs`, `no-ipvs`, ... */
export const CONDITION_NAMES: readonly string[] = PLATFORM_FACTS.flatMap((f) => [f, `no-${f}`]);

export function parseCondition(name: string): FactCondition | undefined {
  const present = !name.startsWith('no-');
  const fact = PLATFORM_FACTS.find((f) => f === (present ? name : name.slice(3)));
  return fact ? { fact, present } : undefined;
}

export const conditionName = (c: FactCondition): string => (c.present ? c.fact : `no-${c.fact}`);

export const holds = (c: FactCondition | undefined, facts: PlatformFacts): boolean => !c || facts[c.fact] === c.present;

/** The facts of the machine, from what the sandbox detected at start. */
export function factsOf(kernel: KernelFeatures): PlatformFacts {
  return { ipvs: kernel.ipvs };
}

/** Every combination of the facts: a lab must be whole on each machine it may run on. */
export function everyFactSet(): PlatformFacts[] {
  return PLATFORM_FACTS.reduce<PlatformFacts[]>(
    (sets, fact) => sets.flatMap((set) => [{ ...set, [fact]: true }, { ...set, [fact]: false }]),
    [{} as PlatformFacts],
  );
}

/** `on a machine with no-ipvs`: which variant a problem is about. */
export function describeFacts(facts: PlatformFacts): string {
  return PLATFORM_FACTS.map((fact) => conditionName({ fact, present: facts[fact] })).join(', ');
}
