package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.CommandCheck;
import dev.tether.proxy.protocol.CommandView;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import dev.tether.proxy.protocol.Keyword;
import dev.tether.proxy.protocol.OkPacket;
import dev.tether.proxy.protocol.Packets;
import io.vertx.core.buffer.Buffer;

/**
 * A client command as it arrives. Its first frame, between commands, is read once into a
 * {@link CommandView}, then answered here (malformed, unsupported, a notice a reconnection left,
 * lost long data or cursor), held (a switchover's BLOCK, a read-back that must run first), routed
 * (a KILL of a Tether session, COM_QUIT, COM_CHANGE_USER), or sent to the backend with its
 * statement ids translated; the rest of a command larger than a frame, and the file a LOCAL INFILE
 * uploads, follow it there. Confined to the session's event loop.
 */
final class CommandIntake extends SessionRole {
  private final long maxAllowedPacket;
  /** The error a reconnection left for the session's next statement, or null. */
  private ErrPacket notice;

  CommandIntake(RelaySession session, SessionContext context, SessionParts parts) {
    super(session, context, parts);
    this.maxAllowedPacket = context.services().config().proxy().maxAllowedPacket();
  }

  /** The first frame of a command, with the session idle. */
  void start(int sequenceId, Buffer payload, Buffer frame) {
    if (sequenceId != 0) {
      session.endings().violation(ErrorCode.NET_PACKETS_OUT_OF_ORDER, "Got packets out of order", sequenceId);
      return;
    }
    if (payload.length() == 0) {
      context.client().sendError(ErrPacket.of(ErrorCode.UNKNOWN_COM_ERROR, "Unknown command"), 1);
      return;
    }
    CommandCheck.Malformed malformed = CommandCheck.check(payload, session.login().capabilities());
    if (malformed != null) { // answered as the server answers it; the session lives on
      context.metrics().protocolError();
      if (malformed.reply() != null) {
        context.client().sendError(malformed.reply(), 1);
      }
      return;
    }
    CommandView view = CommandView.read(payload, parts.stateTracker().tracks());
    switch (view.command()) {
      case Command.COM_QUIT -> {
        session.endings().quit(frame);
        return;
      }
      case Command.COM_CHANGE_USER -> {
        session.changeUser().begin(payload);
        return;
      }
      case Command.COM_BINLOG_DUMP, Command.COM_BINLOG_DUMP_GTID, Command.COM_REGISTER_SLAVE,
           Command.COM_TABLE_DUMP, Command.COM_CONNECT_OUT, Command.COM_DAEMON, Command.COM_CONNECT,
           Command.COM_DELAYED_INSERT, Command.COM_TIME -> {
        context.client().sendError(ErrPacket.of(ErrorCode.UNKNOWN_COM_ERROR,
            "Tether does not relay command 0x" + Integer.toHexString(view.command())), 1);
        return;
      }
      default -> { }
    }
    if (session.switchover().moveDue()) { // a SWITCH came while this session logged in: move before running anything
      parts.queue().putBack(sequenceId, payload, frame);
      session.switchover().migrate();
      return;
    }
    if (session.switchover().holds(session.inTransaction())) {
      session.phase(Phase.HELD); // switchover: new work waits for RESTORE (a replayable transaction's, for SWITCH)
      parts.queue().putBack(sequenceId, payload, frame);
      return;
    }
    if (parts.stateTracker().refreshWanted() && !view.isDiagnostics()) {
      parts.queue().putBack(sequenceId, payload, frame); // read the variables back first
      session.readBack().start();
      return;
    }
    if (notice != null && payload.length() < Packets.MAX_FRAME_PAYLOAD) {
      parts.statementIds().answeredByNode(view, payload, parts.learner().state());
      answerWithNotice(view);
      return;
    }
    if (lostWithReconnection(view)) {
      parts.statementIds().answeredByNode(view, payload, parts.learner().state());
      return;
    }
    KillStatement kill = KillStatement.parse(payload);
    if (kill != null && ConnectionIds.isTether(kill.id())) {
      routeKill(kill, frame);
      return;
    }
    CommandInFlight command = parts.command();
    command.start(view, frame, parts.tracker().statusFlags(), context.metrics().commandSent(view.command()));
    parts.stateTracker().onCommand(view, payload);
    parts.recorder().onCommand(view, frame, command.statusBefore());
    parts.tracker().expectResponseTo(view);
    forward(sequenceId, payload, parts.statementIds().toBackend(view, payload, frame, parts.learner().state()));
  }

  /** The next frame of a command larger than one frame. */
  void continueCommand(int sequenceId, Buffer payload, Buffer frame) {
    if (sequenceId != ((parts.command().sequence() + 1) & 0xFF)) {
      session.endings().violation(ErrorCode.NET_PACKETS_OUT_OF_ORDER, "Got packets out of order", sequenceId);
      return;
    }
    parts.recorder().onContinuation(payload, parts.command().statusBefore());
    forward(sequenceId, payload, frame);
  }

  /** LOCAL INFILE: a frame of the client's file goes to the backend; the empty one ends the upload. */
  void upload(int sequenceId, Buffer payload, Buffer frame) {
    session.toBackend(frame);
    parts.command().uploaded(sequenceId);
    if (parts.tracker().onClientUploadFrame(payload)) {
      session.phase(Phase.AWAITING);
      session.deadlines().backendActive();
    }
  }

  /** Re-sends a command the rebuilt connection never saw. */
  void resend(Buffer frame) {
    start(0, payloadOf(frame), frame);
    session.flushToBackend();
  }

  /** Leaves {@code error} for the session's next statement; it replaces one not yet delivered. */
  void notice(ErrPacket error) {
    notice = error;
  }

  /** Sends one frame of the current command; the last frame puts the command in flight. */
  void forward(int sequenceId, Buffer payload, Buffer frame) {
    CommandInFlight command = parts.command();
    if (command.forwarded(sequenceId, payload.length()) > maxAllowedPacket) {
      session.endings().violation(ErrorCode.NET_PACKET_TOO_LARGE, "Got a packet bigger than 'max_allowed_packet' bytes",
          sequenceId);
      return;
    }
    if (!writeCommitWithMarker(frame)) {
      session.toBackend(frame);
    }
    if (payload.length() == Packets.MAX_FRAME_PAYLOAD) {
      session.phase(Phase.RECEIVING);
      command.dropRetry();
      return;
    }
    if (parts.tracker().inFlight()) {
      session.phase(Phase.AWAITING);
      command.awaiting();
      session.deadlines().backendActive();
    } else {
      parts.stateTracker().onComplete();
      command.dropRetry();
      session.becomeIdle(); // COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA: no response
    }
  }

  /**
   * A COMMIT the journal gives a commit marker: whatever was gathered for the backend goes first,
   * then the marker and the COMMIT, through the fault hook. False when it has no marker.
   */
  private boolean writeCommitWithMarker(Buffer frame) {
    if (!parts.recorder().markerDue()) {
      return false;
    }
    session.flushToBackend();
    return parts.recorder().writeCommit(session.backend(), frame);
  }

  /** Long data and open cursors do not survive a reconnection: their next use fails, once, clearly. */
  private boolean lostWithReconnection(CommandView view) {
    BackendStatements statements = parts.statementIds().statements();
    long id = parts.statementIds().clientId(view);
    if (view.command() == Command.COM_STMT_EXECUTE && statements.takeLostLongData(id)) {
      context.client().sendError(ErrPacket.of(ErrorCode.SESSION_STATE_LOST, "Tether: the long data sent for this"
          + " statement was lost when the database connection was re-established; send it again"), 1);
      return true;
    }
    if (view.command() == Command.COM_STMT_FETCH && statements.takeLostCursor(id)) {
      context.client().sendError(ErrPacket.of(ErrorCode.SESSION_STATE_LOST, "Tether: the open cursor of this"
          + " statement was lost when the database connection was re-established; execute the statement again"), 1);
      return true;
    }
    return false;
  }

  /** Delivers the error a reconnection left for the session's next statement (once). */
  private void answerWithNotice(CommandView view) {
    ErrPacket pending = notice;
    notice = null;
    if (view.isQuery(Keyword.ROLLBACK) && pending.errorCode() == ErrorCode.TRANSACTION_LOST.code()) {
      context.client().write(OkPacket.of(parts.tracker().statusFlags()).encode(1, context.clientTracksState()));
    } else {
      context.client().sendError(pending, 1);
    }
  }

  /**
   * A KILL of a Tether session: learn where its backend thread is (any node), then send the server
   * the same KILL naming that thread on this session's own connection, so the server judges the
   * privilege ({@link KillRouter}). Lost meanwhile: the command waits in the queue for the rebuild.
   */
  private void routeKill(KillStatement kill, Buffer original) {
    session.phase(Phase.KILL_LOOKUP);
    BackendConnection backend = session.backend();
    context.kills().route(kill, backend.address()).onComplete(done -> {
      KillRouter.Routed routed = done.result();
      if (session.phase() != Phase.KILL_LOOKUP) {
        Buffer later = routed.frame() != null ? routed.frame() : original;
        parts.queue().putBack(0, payloadOf(later), later);
      } else if (routed.frame() == null) {
        context.client().sendError(routed.error(), 1);
        session.becomeIdle();
        session.drainQueue();
      } else {
        session.phase(Phase.IDLE);
        start(0, payloadOf(routed.frame()), routed.frame());
        parts.command().routedKill(routed.thread(), kill.id());
        session.flushToBackend();
      }
    });
  }

  private static Buffer payloadOf(Buffer frame) {
    return frame.slice(Packets.HEADER_SIZE, frame.length());
  }
}
