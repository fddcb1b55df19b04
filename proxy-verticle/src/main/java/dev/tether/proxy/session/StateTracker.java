package dev.tether.proxy.session;

import dev.tether.proxy.protocol.CommandView;
import io.vertx.core.buffer.Buffer;

/**
 * What the relay tells about each command so the session's state stays known: the
 * {@link StateLearner} when {@code session.persistent} is on, {@link #UNTRACKED} when it is off
 * (relay only: nothing learned, nothing read back, a lost backend ends the session).
 */
interface StateTracker {
  /** The first frame of a command about to be sent. */
  void onCommand(CommandView command, Buffer payload);

  /** One backend frame of the response; {@code flags} are the response tracker's verdict on it. */
  void onResponseFrame(int flags, Buffer payload, int statusFlags);

  /** The response ended. */
  void onComplete();

  /** True when user variables or LAST_INSERT_ID must be read back before the next command. */
  boolean refreshWanted();

  /** Whether the state is tracked at all: only a tracked session can be rebuilt, staged or replayed. */
  boolean tracks();

  /** Tracks nothing. */
  StateTracker UNTRACKED = new StateTracker() {
    @Override
    public void onCommand(CommandView command, Buffer payload) { }

    @Override
    public void onResponseFrame(int flags, Buffer payload, int statusFlags) { }

    @Override
    public void onComplete() { }

    @Override
    public boolean refreshWanted() {
      return false;
    }

    @Override
    public boolean tracks() {
      return false;
    }
  };
}
