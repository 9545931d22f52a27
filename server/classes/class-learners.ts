import { DrydockError } from '../errors/drydock-error.ts';
import type { LabSession } from '../sessions/lab-session.ts';
import type { Store } from '../store/store.ts';
import type { ClassService } from './class-service.ts';
import type { SessionFollower } from './session-follower.ts';

/** What an instructor does to a class's learners: find their session, message them. */
export class ClassLearners {
  constructor(
    private readonly classes: ClassService,
    private readonly store: Pick<Store, 'members'>,
    private readonly follower: SessionFollower,
  ) {}

  /** The member's running session of one of the class's labs; 404 for a non-member or one without a session. */
  async sessionOf(classId: string, learnerId: string): Promise<LabSession> {
    const record = await this.classes.get(classId);
    const members = await this.store.members(classId);
    if (!members.some((m) => m.learnerId === learnerId)) throw new DrydockError('DD_LEARNER_NOT_IN_CLASS', 'this learner is not in this class');
    const followed = this.follower.sessionOf(learnerId, record.labIds);
    if (!followed) throw new DrydockError('DD_LEARNER_NO_SESSION', 'this learner has no lab of this class running');
    return followed.session;
  }

  /** Shows a message in the lab view of one member, or of every member with a lab running; how many saw it. */
  async message(classId: string, text: string, learnerId?: string): Promise<number> {
    if (learnerId) return this.sessionOf(classId, learnerId).then((s) => Number(s.notify(text)));
    const record = await this.classes.get(classId);
    let shown = 0;
    for (const member of await this.store.members(classId)) {
      if (this.follower.sessionOf(member.learnerId, record.labIds)?.session.notify(text)) shown++;
    }
    return shown;
  }
}
