package dev.tether.proxy.session;

/** Where a {@link RelaySession} stands; what a client frame, a backend frame or a loss means depends on it. */
enum Phase {
  /** Logged in; setting up session tracking before the client's final OK. */
  STARTING,
  /** Between commands: nothing in flight. */
  IDLE,
  /** A command larger than one frame is still arriving from the client. */
  RECEIVING,
  /** The command is at the backend; its response is being relayed. */
  AWAITING,
  /** LOCAL INFILE: the client's file frames go to the backend until the empty packet. */
  UPLOADING,
  /** Reading user variables back from the backend after a statement changed them. */
  REFRESHING,
  /** Switchover: the node is blocked; the client's next command waits here until restore. */
  HELD,
  /** The backend connection is gone: reconnecting and replaying within the hold window. */
  RECONNECTING,
  /** A KILL named a Tether session: waiting to learn where that session's backend thread is. */
  KILL_LOOKUP,
  /** COM_CHANGE_USER: waiting for the client's next authentication packet. */
  CHANGE_USER_AUTH,
  /** COM_CHANGE_USER: logging the new user into a fresh backend connection. */
  CHANGE_USER_CONNECTING,
  /** The session is over. */
  CLOSED
}
