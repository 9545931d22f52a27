import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROTOCOL, encodeOutputFrame, type ServerMessage } from '../../shared/protocol.ts';
import type { Classroom } from '../classes/classroom.ts';
import { DrydockError } from '../errors/drydock-error.ts';
import { statusOf } from '../errors/error-status.ts';
import { rejectUpgrade } from '../errors/reject-socket.ts';
import { instructorToken } from '../instructors/instructor-cookie.ts';
import type { Logger } from '../logging/logger.ts';
import { originAllowed } from '../origins/origin.ts';
import type { TerminalViewer } from '../sessions/host-terminals.ts';
import type { LabSession } from '../sessions/lab-session.ts';

/** /api/instructor/classes/CLASS/learners/LEARNER/watch */
export const WATCH_SOCKET = /^\/api\/instructor\/classes\/([A-Za-z0-9_-]{1,64})\/learners\/([A-Za-z0-9_-]{1,128})\/watch(?:\?.*)?$/;
/**
 * Unread bytes above which a watcher is dropped: its output is never waited for (the learner's
 * terminal runs at the learner's pace), so a watcher that cannot keep up must not pile it up here.
 */
const WATCH_BACKLOG_BYTES = 1024 * 1024;

export interface WatchSocketDeps {
  classroom: Classroom;
  allowedOrigins: readonly string[];
  log: Logger;
}

/**
 * An instructor watching a learner's terminals, read-only: the session socket's messages and
 * output frames go out; whatever comes in is refused and closes the socket, so nothing an
 * instructor's page sends can reach a host. Origin and the instructor's sign-in are checked
 * before the handshake, as on the session socket.
 */
export class WatchSockets {
  private readonly wss = new WebSocketServer({
    noServer: true,
    // Nothing is read from a watcher; a small cap turns a large frame into a close at once.
    maxPayload: 1024,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false),
  });

  constructor(private readonly deps: WatchSocketDeps) {
    this.wss.on('wsClientError', (err, socket) =>
      rejectUpgrade(socket, 400, 'DD_PROTOCOL_INVALID', `not a valid WebSocket handshake: ${err.message}`),
    );
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, classId: string, learnerId: string): void {
    this.open(req, socket, head, classId, learnerId).catch((err: unknown) => {
      this.deps.log.error({ err }, 'a watch socket could not be opened');
      rejectUpgrade(socket, 500, 'DD_INTERNAL', 'the server could not take this connection');
    });
  }

  private async open(req: IncomingMessage, socket: Duplex, head: Buffer, classId: string, learnerId: string): Promise<void> {
    if (!originAllowed(req.headers.origin, req.headers.host, this.deps.allowedOrigins)) {
      return rejectUpgrade(socket, 403, 'DD_ORIGIN_REFUSED', 'this page may not watch Drydock sessions');
    }
    let session: LabSession;
    try {
      this.deps.classroom.signIns.assertSignedIn(instructorToken(req.headers.cookie));
      session = await this.deps.classroom.learners.sessionOf(classId, learnerId);
    } catch (err) {
      if (!(err instanceof DrydockError)) throw err;
      return rejectUpgrade(socket, statusOf(err.code), err.code, err.message);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.watch(ws, session));
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private watch(ws: WebSocket, session: LabSession): void {
    const send = (message: ServerMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(JSON.stringify(message));
      this.limitBacklog(ws, session);
    };
    const viewer: TerminalViewer = {
      attached: (host, index, restored) => send({ type: 'attached', host, index, ...(restored ? { restored } : {}) }),
      output: (index, chunks) => {
        if (ws.readyState !== ws.OPEN) return;
        ws.send(encodeOutputFrame(index, chunks), { binary: true });
        this.limitBacklog(ws, session);
      },
      exited: (host) => send({ type: 'exited', host }),
    };
    send({ type: 'session', session: session.view() });
    send({ type: 'steps', steps: [...session.steps] });
    const stopWatching = session.watch(viewer);
    const stopFollowing = session.onActivity((activity) => {
      if (activity.type === 'steps') send({ type: 'steps', steps: [...session.steps] });
      if (activity.type === 'ended') {
        send({ type: 'session', session: session.view() });
        send({ type: 'ended', reason: session.view().endReason ?? 'ended' });
        ws.close(1000, 'session ended');
      }
    });
    ws.on('message', () => {
      send({ type: 'error', code: 'DD_PROTOCOL_INVALID', message: 'watching is read-only: nothing can be sent to the learner’s terminals' });
      ws.close(1008, 'read-only');
    });
    ws.on('close', () => {
      stopWatching();
      stopFollowing();
    });
    ws.on('error', (err) => this.deps.log.debug({ err, session: session.id }, 'watch socket error'));
  }

  private limitBacklog(ws: WebSocket, session: LabSession): void {
    if (ws.bufferedAmount <= WATCH_BACKLOG_BYTES) return;
    this.deps.log.info({ session: session.id }, 'dropping a watcher that does not keep up with the output');
    ws.terminate();
  }
}
