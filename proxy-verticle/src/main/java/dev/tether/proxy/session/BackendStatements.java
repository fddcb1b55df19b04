package dev.tether.proxy.session;

import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Binary-protocol statements as they stand on the current backend connection. The client keeps
 * the ids it was first given; after a reconnection the statements are re-prepared under new backend
 * ids and the five commands that carry an id are rewritten in place. Also remembers, per statement,
 * what a new connection cannot know: the last parameter types (an execute may omit them), and
 * long data or an open cursor that a reconnection loses.
 */
final class BackendStatements {
  /** The value MariaDB accepts in COM_STMT_EXECUTE for "the statement just prepared". */
  static final long LAST_PREPARED = 0xFFFF_FFFFL;

  private final Map<Long, Long> backendIds = new HashMap<>();
  private final Map<Long, byte[]> lastTypes = new HashMap<>();
  private final Set<Long> longDataPending = new HashSet<>();
  private final Set<Long> cursorsOpen = new HashSet<>();
  /** Statements whose next execute needs types injected, because the new backend never saw them. */
  private final Set<Long> typesUnknownToBackend = new HashSet<>();
  /** Statements that lost their long data or cursor in a reconnection: their next use fails once. */
  private final Set<Long> lostLongData = new HashSet<>();
  private final Set<Long> lostCursors = new HashSet<>();

  /**
   * The id to give the client for a statement the backend just prepared as {@code backendId}: the
   * same id unless a statement from before a reconnection already holds it for the client.
   */
  long assignClientId(long backendId, Set<Long> clientIdsInUse) {
    if (!clientIdsInUse.contains(backendId) && !backendIds.containsValue(backendId)) {
      return backendId;
    }
    long fresh = backendId;
    while (clientIdsInUse.contains(fresh) || backendIds.containsKey(fresh)) {
      fresh++;
    }
    backendIds.put(fresh, backendId);
    return fresh;
  }

  long backendId(long clientId) {
    Long mapped = backendIds.get(clientId);
    return mapped == null ? clientId : mapped;
  }

  /** After a reconnection: where each client id now lives; all per-connection knowledge is reset. */
  void remap(Map<Long, Long> clientToBackend) {
    backendIds.clear();
    clientToBackend.forEach((client, backend) -> {
      if (!client.equals(backend)) {
        backendIds.put(client, backend);
      }
    });
    typesUnknownToBackend.clear();
    typesUnknownToBackend.addAll(lastTypes.keySet());
    lostLongData.addAll(longDataPending);
    longDataPending.clear();
    lostCursors.addAll(cursorsOpen);
    cursorsOpen.clear();
  }

  void closed(long clientId) {
    backendIds.remove(clientId);
    lastTypes.remove(clientId);
    longDataPending.remove(clientId);
    cursorsOpen.remove(clientId);
    typesUnknownToBackend.remove(clientId);
    lostLongData.remove(clientId);
    lostCursors.remove(clientId);
  }

  void clear() {
    backendIds.clear();
    lastTypes.clear();
    longDataPending.clear();
    cursorsOpen.clear();
    typesUnknownToBackend.clear();
    lostLongData.clear();
    lostCursors.clear();
  }

  boolean isEmpty() {
    return backendIds.isEmpty() && typesUnknownToBackend.isEmpty() && lostLongData.isEmpty() && lostCursors.isEmpty();
  }

  void longDataSent(long clientId) {
    longDataPending.add(clientId);
  }

  /** An execute or reset consumes pending long data. */
  void longDataConsumed(long clientId) {
    longDataPending.remove(clientId);
  }

  void cursorOpened(long clientId) {
    cursorsOpen.add(clientId);
  }

  void cursorClosed(long clientId) {
    cursorsOpen.remove(clientId);
  }

  /** True once, for a statement whose long data a reconnection lost. */
  boolean takeLostLongData(long clientId) {
    return lostLongData.remove(clientId);
  }

  /** True once, for a statement whose open cursor a reconnection lost. */
  boolean takeLostCursor(long clientId) {
    return lostCursors.remove(clientId);
  }

  /** Whether the types at {@code payload[from, to)} are the ones already kept (no copy needed). */
  boolean hasTypes(long clientId, Buffer payload, int from, int to) {
    byte[] kept = lastTypes.get(clientId);
    if (kept == null || kept.length != to - from) {
      return false;
    }
    for (int i = 0; i < kept.length; i++) {
      if (kept[i] != payload.getByte(from + i)) {
        return false;
      }
    }
    return !typesUnknownToBackend.contains(clientId);
  }

  void rememberTypes(long clientId, byte[] types) {
    lastTypes.put(clientId, types);
    typesUnknownToBackend.remove(clientId);
  }

  /**
   * Types the client sent in an execute the node answered itself: the client will not send them
   * again, and the backend never saw them, so the next execute gets them injected.
   */
  void typesNotForwarded(long clientId, byte[] types) {
    lastTypes.put(clientId, types);
    typesUnknownToBackend.add(clientId);
  }

  /** The parameter types last sent for {@code clientId} (2 bytes per parameter), or null (transaction replay). */
  byte[] lastTypes(long clientId) {
    return lastTypes.get(clientId);
  }

  /** The types to inject into an execute that omitted them, or null when the backend knows them. */
  byte[] typesToInject(long clientId) {
    return typesUnknownToBackend.contains(clientId) ? lastTypes.get(clientId) : null;
  }

  /** Rewrites the statement id at payload offset 1 (all five id-carrying commands put it there). */
  void rewriteId(Buffer payload, long clientId) {
    long backend = backendId(clientId);
    if (backend != clientId) {
      payload.setUnsignedIntLE(1, backend);
    }
  }
}
