package dev.tether.proxy.protocol;

/** A packet that does not parse: truncated, overlong, or with a field out of range. */
public final class ProtocolException extends RuntimeException {
  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
