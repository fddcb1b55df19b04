package dev.tether.proxy.session;

/**
 * One of the roles a relay session is split into (intake, response relay, loss recovery, change
 * user, switchover, ...): each is handed the same three things, so they are held here once. The
 * references never change after construction; what they point to is confined to the session's
 * event loop.
 */
abstract class SessionRole {
  /** The session this role is part of. */
  final RelaySession session;
  /** What the session's roles share and never change. */
  final SessionContext context;
  /** The session's mutable parts, shared by its roles. */
  final SessionParts parts;

  SessionRole(RelaySession session, SessionContext context, SessionParts parts) {
    this.session = session;
    this.context = context;
    this.parts = parts;
  }
}
