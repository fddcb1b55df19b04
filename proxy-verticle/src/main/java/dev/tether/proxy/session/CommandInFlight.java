package dev.tether.proxy.session;

import dev.tether.proxy.protocol.CommandView;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.buffer.Buffer;

/**
 * The client command the session is relaying now, from its first frame until its response ends:
 * what it is, how far it has come, and what the loss path needs to decide its fate (the bytes to
 * re-send, whether any of the response reached the client, the transaction state before it).
 * Reset at each command's start. Confined to the session's event loop.
 */
final class CommandInFlight {
  /** Commands up to this size are kept until their response starts, so they can be re-sent. */
  static final int RETRY_KEEP_BYTES = 64 * 1024;

  private CommandView view;
  /** Sequence id of the last frame the client sent for it, and of the last response frame relayed. */
  private int sequence;
  private int lastSequenceToClient;
  private long bytes;
  private int statusBefore;
  /** The client's own frame, kept for a resend until its response starts (null: not kept). */
  private Buffer retryFrame;
  private boolean responseStarted;
  /** The backend's connection-ending ERR for it (a KILL or a shutdown), held back from the client. */
  private ErrPacket killedBy;
  /** A routed KILL: the backend thread it names, and the session id the client wrote (0: not one). */
  private long killThread;
  private long killNamed;
  /** When it was sent (System.nanoTime), for the backend response histogram. */
  private long sentNanos;
  /** Warnings of the response that completed last: a read-back would clear them before SHOW WARNINGS. */
  private int lastWarnings;

  /** A new command: its first frame is {@code frame}; {@code statusBefore} the server's status flags now. */
  void start(CommandView command, Buffer frame, int statusFlagsBefore, long sentAtNanos) {
    view = command;
    statusBefore = statusFlagsBefore;
    bytes = 0;
    killedBy = null;
    killThread = 0;
    retryFrame = frame.length() <= RETRY_KEEP_BYTES ? frame : null;
    sentNanos = sentAtNanos;
  }

  /** One more frame of it went to the backend; returns the command's bytes so far. */
  long forwarded(int sequenceId, int payloadLength) {
    sequence = sequenceId;
    bytes += payloadLength;
    return bytes;
  }

  /** It is at the backend now: nothing of the response has been relayed yet. */
  void awaiting() {
    responseStarted = false;
  }

  /** A response frame (sequence {@code sequenceId}) went to the client. */
  void relayed(int sequenceId) {
    responseStarted = true;
    lastSequenceToClient = sequenceId;
  }

  /** A LOCAL INFILE frame from the client went to the backend. */
  void uploaded(int sequenceId) {
    lastSequenceToClient = sequenceId;
  }

  /** Its response ended with {@code warnings}; it can no longer be re-sent. */
  void completed(int warnings) {
    lastWarnings = warnings;
    retryFrame = null;
  }

  /** It can no longer be re-sent (it did not fit one frame, or needs no response). */
  void dropRetry() {
    retryFrame = null;
  }

  void routedKill(long thread, long named) {
    killThread = thread;
    killNamed = named;
  }

  void killedBy(ErrPacket error) {
    killedBy = error;
  }

  /** The sequence id of the next packet to the client: after the response so far, or after the command. */
  int nextSequenceToClient() {
    return ((responseStarted ? lastSequenceToClient : sequence) + 1) & 0xFF;
  }

  /** The sequence id a resent command's first reply frame would have. */
  int replySequence() {
    return (sequence + 1) & 0xFF;
  }

  boolean inTransactionBefore() {
    return (statusBefore & ServerStatus.IN_TRANS) != 0;
  }

  CommandView view() {
    return view;
  }

  int sequence() {
    return sequence;
  }

  int statusBefore() {
    return statusBefore;
  }

  Buffer retryFrame() {
    return retryFrame;
  }

  boolean responseStarted() {
    return responseStarted;
  }

  ErrPacket killedBy() {
    return killedBy;
  }

  long killThread() {
    return killThread;
  }

  long killNamed() {
    return killNamed;
  }

  long sentNanos() {
    return sentNanos;
  }

  int lastWarnings() {
    return lastWarnings;
  }

  void clearWarnings() {
    lastWarnings = 0;
  }
}
