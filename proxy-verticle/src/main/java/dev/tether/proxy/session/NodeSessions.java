package dev.tether.proxy.session;

/**
 * The node's sessions as the rest of the node finds them: the registry by connection id, the ids
 * handed out, and the router that finds a session a KILL names anywhere in the fleet. Shared by the
 * node's event loops; a session itself is only touched on its own loop.
 */
public final class NodeSessions {
  private final ConnectionIds connectionIds = new ConnectionIds();
  private final SessionRegistry registry = new SessionRegistry();
  /** Set once by the node before it accepts clients. */
  private volatile KillRouter kills;
  /** Told when a session's standing may have changed (between commands, ended, moved): the node's switchover. */
  private volatile Runnable onChange = () -> { };

  /** A fleet-unique id for a new client connection (see {@link ConnectionIds}). */
  public long nextConnectionId() {
    return connectionIds.next(registry::contains);
  }

  public ConnectionIds connectionIds() {
    return connectionIds;
  }

  public SessionRegistry registry() {
    return registry;
  }

  public KillRouter kills() {
    return kills;
  }

  public void kills(KillRouter router) {
    kills = router;
  }

  /** Who hears that a session went idle, ended or finished moving (on that session's loop). */
  public void onChange(Runnable listener) {
    onChange = listener;
  }

  void changed() {
    onChange.run();
  }
}
