package dev.tether.proxy.session;

import io.vertx.core.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's live sessions by the connection id of their greeting, with the event loop each is
 * confined to: how a KILL that names a session finds it, and how a new id avoids one in use.
 * Shared by the node's event loops; a session itself is only touched on its own loop.
 */
public final class SessionRegistry {
  /** A client connection's place: its loop, and its session once logged in (null before). */
  public static final class Entry {
    private final Context context;
    private volatile RelaySession session;

    Entry(Context context) {
      this.context = context;
    }

    public Context context() {
      return context;
    }

    public RelaySession session() {
      return session;
    }
  }

  private final Map<Long, Entry> entries = new ConcurrentHashMap<>();

  /** A connection accepted on {@code context} took {@code id}. */
  public void reserve(long id, Context context) {
    entries.put(id, new Entry(context));
  }

  /** The connection {@code id} logged in and is served by {@code session}. */
  public void attach(long id, RelaySession session) {
    Entry entry = entries.get(id);
    if (entry != null) {
      entry.session = session;
    }
  }

  public void remove(long id) {
    entries.remove(id);
  }

  public boolean contains(long id) {
    return entries.containsKey(id);
  }

  /** The entry for {@code id}, or null. */
  public Entry get(long id) {
    return entries.get(id);
  }
}
