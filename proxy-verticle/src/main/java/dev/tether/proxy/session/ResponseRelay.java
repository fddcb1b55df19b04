package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.FrameSink;
import dev.tether.proxy.protocol.OkHeader;
import dev.tether.proxy.protocol.OkPacket;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.ServerError;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's side of a session: relays each response frame to the client as it came (an OK
 * rewritten for a client without session tracking, a routed KILL's refusal naming the client's
 * id), lets the state tracker and the transaction recorder see it, holds back a connection-ending
 * ERR for the loss path, and pauses the backend while the client cannot keep up. A separate
 * object from the client side so the two directions cannot be confused. Confined to the event loop.
 */
final class ResponseRelay extends SessionRole implements FrameSink {
  private static final Logger log = LoggerFactory.getLogger(ResponseRelay.class);

  private final Outbox toClient = new Outbox();
  private boolean completedInChunk;
  /** A KILL QUERY of this session was routed here: until then, its 1317 waits for the killer's OK. */
  private long killQueryUntilMillis;

  ResponseRelay(RelaySession session, SessionContext context, SessionParts parts) {
    super(session, context, parts);
  }

  /** A KILL naming this session is on its way: the victim's 1317 lets the killer's OK go first. */
  void killAnnounced() {
    killQueryUntilMillis = context.now() + KillRouter.ANNOUNCED_KILL_MILLIS;
  }

  /** Sends what this read gathered for the client now (before an error or an end). */
  void flush() {
    if (!toClient.isEmpty()) {
      context.client().write(toClient.take());
    }
  }

  @Override
  public void onFrame(int sequenceId, Buffer payload, Buffer frame) {
    try {
      onBackendFrame(sequenceId, payload, frame);
    } catch (RuntimeException e) {
      session.endings().failed("backend frame", e);
    }
  }

  private void onBackendFrame(int sequenceId, Buffer payload, Buffer frame) {
    Phase phase = session.phase();
    if (phase != Phase.AWAITING && phase != Phase.UPLOADING
        && phase != Phase.RECEIVING) {
      log.debug("session {}: unsolicited backend packet 0x{} in {}", context.id(),
          payload.length() > 0 ? Integer.toHexString(payload.getUnsignedByte(0)) : "", phase);
      return;
    }
    if (KillRouter.interruptsAnAnnouncedKill(payload, killQueryUntilMillis, context.now())) {
      killQueryUntilMillis = 0; // the killer's OK goes first, as the server sends it first
      BackendConnection from = session.backend();
      context.vertx().setTimer(KillRouter.KILLER_HEAD_START_MILLIS, id -> {
        if (from == session.backend()) {
          onFrame(sequenceId, payload, frame);
          onChunkEnd();
        }
      });
      return;
    }
    if (parts.recorder().takesMarkerAnswer(payload, session.backend())) {
      return; // the commit marker's answer is the journal's, not the client's
    }
    CommandInFlight command = parts.command();
    int flags = parts.tracker().onBackendFrame(payload);
    if ((flags & ResponseTracker.ERR_PACKET) != 0 && !command.responseStarted()
        && ServerError.dropsConnection(ServerError.code(payload))) {
      command.killedBy(ErrPacket.decode(payload)); // the connection is going away: handled as its loss
      return;
    }
    parts.stateTracker().onResponseFrame(flags, payload, parts.tracker().statusFlags());
    parts.recorder().onResponseFrame(flags, payload);
    Buffer out = frame;
    if ((flags & ResponseTracker.OK_PACKET) != 0 && !context.clientTracksState()) {
      Buffer rewritten = OkPacket.withoutSessionTrack(payload, sequenceId);
      if (rewritten != null) {
        out = rewritten;
      }
    }
    if ((flags & ResponseTracker.OK_PACKET) != 0) {
      ErrPacket rolledBack = parts.recorder().takeRolledBackByMarker();
      if (rolledBack != null) {
        out = rolledBack.encode(sequenceId); // the COMMIT committed nothing: the marker's deadlock had ended it
      }
    }
    if (command.killThread() != 0 && (flags & ResponseTracker.ERR_PACKET) != 0) {
      out = KillRouter.namingTheSession(payload, sequenceId, command.killThread(), command.killNamed());
    }
    toClient.add(out);
    command.relayed(sequenceId);
    if ((flags & ResponseTracker.INFILE_REQUEST) != 0) {
      session.phase(Phase.UPLOADING);
    }
    if ((flags & ResponseTracker.COMPLETE) != 0) {
      parts.stateTracker().onComplete();
      parts.recorder().onComplete(parts.tracker().statusFlags());
      command.completed(warnings(payload, flags));
      context.metrics().backendResponse(System.nanoTime() - command.sentNanos());
      completedInChunk = true;
      session.phase(Phase.IDLE);
    }
  }

  @Override
  public void onChunkEnd() {
    session.deadlines().backendActive(); // once per read, not per frame
    if (!toClient.isEmpty()) {
      context.client().write(toClient.take());
      if (context.client().writeQueueFull()) {
        BackendConnection paused = session.backend();
        paused.pause();
        context.client().drainHandler(ignored -> {
          context.client().drainHandler(null);
          paused.resume();
        });
      }
    }
    if (completedInChunk) {
      completedInChunk = false;
      parts.idleLimit().responded(parts.learner().state()); // its last frame went out: the client's idle time starts
      session.settle();
    }
  }

  private static int warnings(Buffer payload, int flags) {
    if ((flags & ResponseTracker.STATUS) == 0) {
      return 0;
    }
    if ((flags & ResponseTracker.OK_PACKET) != 0) {
      return OkHeader.read(payload).warnings();
    }
    return payload.length() >= 3 ? payload.getUnsignedShortLE(1) : 0;
  }
}
