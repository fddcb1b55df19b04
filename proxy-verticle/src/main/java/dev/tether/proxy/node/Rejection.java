package dev.tether.proxy.node;

import dev.tether.cluster.Labelled;

/** Why a node closed a client connection itself; each value is a label of tether.proxy.client.rejected{reason}. */
public enum Rejection implements Labelled {
  /** proxy.maxConnections reached. */
  TOO_MANY_CONNECTIONS,
  /** The client did not finish its handshake in time. */
  HANDSHAKE_TIMEOUT,
  /** The node's own idle bound (proxy.idleTimeoutSeconds) between commands. */
  IDLE_TIMEOUT,
  /** The session's own wait_timeout, as its server enforces it. */
  WAIT_TIMEOUT,
  /** The backend sent nothing for the response timeout. */
  BACKEND_RESPONSE_TIMEOUT,
  /** A new connection to a draining node. */
  DRAINING,
  /** Still open when the drain deadline passed. */
  DRAINED,
  /** Partly received frames over their per-connection or per-node bound. */
  PARTIAL_FRAME_BOUND,
  /** A frame begun and not finished within the read timeout. */
  READ_TIMEOUT
}
