package dev.tether.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Whether a MariaDB server holds transactions beyond the fork of the primary's history. */
class MariaDbGtidsTest {

  @Test
  void aServerAtOrBehindTheForkHoldsNothingExtra() {
    assertEquals("", MariaDbGtids.beyond("0-1-28450", "0-1-28450"));
    assertEquals("", MariaDbGtids.beyond("0-1-100", "0-2-28450"));
    assertEquals("", MariaDbGtids.beyond("", "0-1-5"));
  }

  @Test
  void aCrashedPrimaryAheadOfTheForkHoldsTheDifference() {
    assertEquals("0-1-28455 (5 after 0-1-28450)", MariaDbGtids.beyond("0-1-28455", "0-1-28450"));
  }

  @Test
  void everyDomainIsComparedOnItsOwn() {
    assertEquals("1-1-9 (2 after 1-2-7)", MariaDbGtids.beyond("0-1-10,1-1-9", "0-2-12,1-2-7"));
    assertEquals("5-1-3 (3 in a domain the primary never had)", MariaDbGtids.beyond("0-1-10,5-1-3", "0-2-12"));
  }
}
