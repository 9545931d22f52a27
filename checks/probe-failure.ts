/**
 * Thrown by probes when something cannot be looked at (nothing listens, the engine restarts, a
 * file is missing). The runner turns it into a failed outcome with this message, so its text is
 * written for the learner, like an outcome's.
 *
 * A leaf module: the clients that throw it and the kinds that describe them all import it, so it
 * imports nothing of theirs (it lived in check-kind.ts, which made them a circle).
 */
export class ProbeFailure extends Error {
  override readonly name = 'ProbeFailure';
}
