package dev.tether.proxy.session;

/** Why a session could not be rebuilt on a new backend connection; the reason is a metric label. */
final class ReplayFailure extends RuntimeException {
  private final String reason;

  ReplayFailure(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  String reason() {
    return reason;
  }
}
