package dev.tether.proxy.accounts;

import java.util.Locale;

/**
 * The Host part of an account, judged against a client's IP address as a server with
 * {@code skip_name_resolve} judges it: {@code %} and {@code _} wildcards, or {@code ip/netmask}.
 * A host name (including {@code localhost}, which over TCP matches nothing then) matches no client,
 * so an account the proxy cannot judge never lets one in. Accounts of one user are tried most
 * specific first, as the server sorts them: no wildcard before wildcards, a longer literal prefix
 * before a shorter one, {@code %} last.
 *
 * @see <a href="https://mariadb.com/kb/en/create-user/#host-name-component">host name component</a>
 */
public record HostPattern(String text) implements Comparable<HostPattern> {

  /** True when a client connecting from {@code address} (an IP literal) may use this account. */
  public boolean matches(String address) {
    if (address == null) {
      return text.equals("%");
    }
    String host = address.toLowerCase(Locale.ROOT);
    int slash = text.indexOf('/');
    if (slash > 0) {
      return netmaskMatches(text.substring(0, slash), text.substring(slash + 1), host);
    }
    if (isName()) {
      return false;
    }
    return like(text.toLowerCase(Locale.ROOT), 0, host, 0);
  }

  /** A host name rather than an address pattern: letters other than IPv6 hex digits. */
  boolean isName() {
    for (int i = 0; i < text.length(); i++) {
      char c = Character.toLowerCase(text.charAt(i));
      boolean address = c == '%' || c == '_' || c == '.' || c == ':' || c == '/' || Character.isDigit(c)
          || (c >= 'a' && c <= 'f' && text.indexOf(':') >= 0);
      if (!address) {
        return true;
      }
    }
    return false;
  }

  /** Fewer wildcards first: the server's order among the accounts of one user. */
  @Override
  public int compareTo(HostPattern other) {
    return Integer.compare(rank(), other.rank());
  }

  private int rank() {
    int wildcard = firstWildcard();
    if (wildcard < 0) {
      return 0;
    }
    return text.equals("%") ? Integer.MAX_VALUE : 1_000_000 - wildcard; // a longer literal prefix first
  }

  private int firstWildcard() {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '%' || text.charAt(i) == '_') {
        return i;
      }
    }
    return -1;
  }

  private static boolean like(String pattern, int p, String value, int v) {
    while (p < pattern.length()) {
      char c = pattern.charAt(p);
      if (c == '%') {
        for (int from = v; from <= value.length(); from++) {
          if (like(pattern, p + 1, value, from)) {
            return true;
          }
        }
        return false;
      }
      if (v >= value.length() || (c != '_' && c != value.charAt(v))) {
        return false;
      }
      p++;
      v++;
    }
    return v == value.length();
  }

  private static boolean netmaskMatches(String ip, String mask, String address) {
    long network = ipv4(ip);
    long netmask = ipv4(mask);
    long client = ipv4(address);
    return network >= 0 && netmask >= 0 && client >= 0 && (client & netmask) == network;
  }

  /** An IPv4 dotted quad as a number, or -1. */
  private static long ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long value = 0;
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return -1;
      }
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        return -1;
      }
      value = value << 8 | octet;
    }
    return value;
  }
}
