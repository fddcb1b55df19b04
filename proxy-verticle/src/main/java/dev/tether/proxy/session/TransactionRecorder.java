package dev.tether.proxy.session;

import dev.tether.proxy.protocol.CommandView;
import io.vertx.core.buffer.Buffer;

/**
 * Observes what a session relays of an open transaction: each command forwarded to the backend
 * and each frame of its response. Today no recorder keeps anything ({@link #NONE}); the
 * transaction replay of issue 11 keeps the transaction here and tells the loss path it can replay
 * it ({@link #replayable()}) before the session falls back to reporting it lost.
 */
interface TransactionRecorder {
  /** A command about to go to the backend; {@code statusBefore} are the status flags before it. */
  void onCommand(CommandView command, Buffer frame, int statusBefore);

  /** One frame of that command's response, with the tracker's flags for it. */
  void onResponseFrame(int flags, Buffer payload);

  /** The response ended; {@code statusAfter} says whether a transaction is still open. */
  void onComplete(int statusAfter);

  /** Whether the open transaction could be replayed on a new connection. */
  boolean replayable();

  /** Keeps nothing and can replay nothing: today's behaviour. */
  TransactionRecorder NONE = new TransactionRecorder() {
    @Override
    public void onCommand(CommandView command, Buffer frame, int statusBefore) { }

    @Override
    public void onResponseFrame(int flags, Buffer payload) { }

    @Override
    public void onComplete(int statusAfter) { }

    @Override
    public boolean replayable() {
      return false;
    }
  };
}
