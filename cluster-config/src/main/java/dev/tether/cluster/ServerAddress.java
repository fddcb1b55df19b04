package dev.tether.cluster;

/** A database server as the topology names it, "host:port", taken apart once. */
public record ServerAddress(String host, int port) {

  public static ServerAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0 || colon == hostPort.length() - 1) {
      throw new IllegalArgumentException("not host:port: " + hostPort);
    }
    return new ServerAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** The same server: same port, and the same host name or both on loopback (127.0.0.1 and localhost). */
  public boolean sameServer(ServerAddress other) {
    return port == other.port && (host.equalsIgnoreCase(other.host) || (isLoopback(host) && isLoopback(other.host)));
  }

  private static boolean isLoopback(String host) {
    return host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
