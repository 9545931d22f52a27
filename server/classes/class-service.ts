import { randomUUID } from 'node:crypto';
import type { ClassBody } from '../../shared/classroom.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import type { Lab } from '../labs/lab.ts';
import type { ClassRecord, MemberRecord, Store } from '../store/store.ts';
import { Emitter } from '../support/emitter.ts';
import { joinPath, newJoinCode, normalizeCode } from './join-code.ts';

export interface NewClass {
  title: string;
  labIds: string[];
  seats: number;
  opensAt: number | null;
  closesAt: number | null;
}

export interface ClassServiceDeps {
  store: Store;
  labs: { get(id: string): Lab | undefined };
  now: () => number;
}

/** Codes tried before giving up: with 113 million codes, a second try is already rare. */
const CODE_ATTEMPTS = 10;

/** The one answer to every unknown code, so guessing learns nothing from the wording. */
export const UNKNOWN_CODE = 'no class has this code; check it with your instructor';

/**
 * Classes: an instructor creates one for a list of labs, learners join it with its code. What a
 * class's members do in those labs' sessions counts for it.
 */
export class ClassService {
  private readonly joined = new Emitter<MemberRecord>();
  /** A learner joined a class or changed their name in it. */
  readonly onJoined = this.joined.event;

  constructor(private readonly deps: ClassServiceDeps) {}

  async create(request: NewClass): Promise<ClassRecord> {
    const unknown = request.labIds.filter((id) => !this.deps.labs.get(id));
    if (unknown.length > 0) throw new DrydockError('DD_LAB_NOT_FOUND', `this server has no lab ${unknown.map((id) => `"${id}"`).join(', ')}`);
    if (new Set(request.labIds).size !== request.labIds.length) throw new DrydockError('DD_BAD_REQUEST', 'a lab is listed twice; list each once');
    if (request.opensAt !== null && request.closesAt !== null && request.closesAt <= request.opensAt)
      throw new DrydockError('DD_BAD_REQUEST', 'the class closes before it opens; set closesAt after opensAt');
    const record: ClassRecord = {
      id: randomUUID(),
      code: await this.freeCode(),
      joiningOpen: true,
      createdAt: this.deps.now(),
      ...request,
    };
    await this.deps.store.createClass(record);
    return record;
  }

  async get(id: string): Promise<ClassRecord> {
    const record = await this.deps.store.getClass(id);
    if (!record) throw new DrydockError('DD_CLASS_NOT_FOUND', `there is no class "${id}"`);
    return record;
  }

  list(): Promise<ClassRecord[]> {
    return this.deps.store.listClasses();
  }

  async setJoiningOpen(id: string, open: boolean): Promise<ClassRecord> {
    await this.get(id);
    await this.deps.store.setJoiningOpen(id, open);
    return this.get(id);
  }

  /**
   * Adds a learner to the class with this code, under this name. A member may always come back
   * (and rename); a newcomer is refused, each with its reason, when joining is closed, the class
   * is not open yet or any more, or every seat is taken.
   */
  async join(learnerId: string, typedCode: string, name: string): Promise<{ record: ClassRecord; member: MemberRecord }> {
    const record = await this.deps.store.getClassByCode(normalizeCode(typedCode));
    if (!record) throw new DrydockError('DD_CLASS_CODE_UNKNOWN', UNKNOWN_CODE);
    const now = this.deps.now();
    const already = (await this.deps.store.members(record.id)).find((m) => m.learnerId === learnerId);
    if (!already) this.assertJoinable(record, now);
    const member: MemberRecord = { classId: record.id, learnerId, name, joinedAt: already?.joinedAt ?? now };
    const outcome = await this.deps.store.joinClass(member);
    if (outcome === 'full') throw new DrydockError('DD_CLASS_FULL', `all ${record.seats} seats of this class are taken; ask your instructor`);
    this.joined.fire(member);
    return { record, member };
  }

  async body(record: ClassRecord): Promise<ClassBody> {
    const memberCount = (await this.deps.store.members(record.id)).length;
    return { ...record, joinPath: joinPath(record.code), memberCount };
  }

  private assertJoinable(record: ClassRecord, now: number): void {
    if (!record.joiningOpen) throw new DrydockError('DD_CLASS_JOINING_CLOSED', 'the instructor has closed joining for this class');
    if (record.opensAt !== null && now < record.opensAt)
      throw new DrydockError('DD_CLASS_NOT_OPEN', `this class opens at ${new Date(record.opensAt).toISOString()}; join then`);
    if (record.closesAt !== null && now >= record.closesAt)
      throw new DrydockError('DD_CLASS_NOT_OPEN', `this class closed at ${new Date(record.closesAt).toISOString()}`);
  }

  private async freeCode(): Promise<string> {
    for (let i = 0; i < CODE_ATTEMPTS; i++) {
      const code = newJoinCode();
      if (!(await this.deps.store.getClassByCode(code))) return code;
    }
    throw new DrydockError('DD_INTERNAL', 'no free class code was found; try again');
  }
}
