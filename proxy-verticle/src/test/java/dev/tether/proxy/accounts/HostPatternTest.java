package dev.tether.proxy.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HostPatternTest {

  @Test
  void wildcardsMatchAsLikeDoes() {
    assertTrue(new HostPattern("%").matches("10.1.2.3"));
    assertTrue(new HostPattern("10.%").matches("10.1.2.3"));
    assertFalse(new HostPattern("10.%").matches("110.1.2.3"));
    assertTrue(new HostPattern("10.1.2._").matches("10.1.2.3"));
    assertFalse(new HostPattern("10.1.2._").matches("10.1.2.33"));
    assertTrue(new HostPattern("127.0.0.1").matches("127.0.0.1"));
    assertFalse(new HostPattern("127.0.0.1").matches("127.0.0.10"));
  }

  @Test
  void aNetmaskMatchesTheAddressesOfItsNetwork() {
    HostPattern net = new HostPattern("192.168.4.0/255.255.255.0");
    assertTrue(net.matches("192.168.4.77"));
    assertFalse(net.matches("192.168.5.77"));
    assertFalse(new HostPattern("192.168.4.0/garbage").matches("192.168.4.77"));
  }

  @Test
  void aHostNameMatchesNoClientAddress() {
    assertFalse(new HostPattern("localhost").matches("127.0.0.1"));
    assertFalse(new HostPattern("%.example.com").matches("10.0.0.1"));
    assertTrue(new HostPattern("::1").matches("::1"), "an IPv6 literal is an address, not a name");
  }

  @Test
  void withoutAnAddressOnlyTheAnyHostRowMatches() {
    assertTrue(new HostPattern("%").matches(null));
    assertFalse(new HostPattern("10.%").matches(null));
  }

  @Test
  void rowsAreTriedMostSpecificFirst() {
    List<String> sorted = Stream.of("%", "10.%", "10.1.%", "10.1.2.3", "10.1.2.0/255.255.255.0")
        .map(HostPattern::new).sorted().map(HostPattern::text).toList();
    assertEquals(List.of("10.1.2.3", "10.1.2.0/255.255.255.0", "10.1.%", "10.%", "%"), sorted);
  }
}
