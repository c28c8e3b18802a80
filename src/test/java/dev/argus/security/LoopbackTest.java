package dev.argus.security;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LoopbackTest {
  @Test
  void theWhole127BlockAndIpv6LoopbackAreLoopback() {
    for (String a : new String[] {"127.0.0.1", "127.8.9.10", "::1", "0:0:0:0:0:0:0:1", "[::1]", "::ffff:127.0.0.1"}) {
      assertTrue(Loopback.isLoopback(a), a);
    }
  }

  @Test
  void otherAddressesNamesAndNothingAreNot() {
    for (String a : new String[] {"10.0.0.1", "0.0.0.0", "::", "::ffff:10.0.0.1", "localhost", "127.example.com", "", "1127.0.0.1"}) {
      assertFalse(Loopback.isLoopback(a), a);
    }
    assertFalse(Loopback.isLoopback(null));
  }

  @Test
  void listeningOnTheWildcardOrAnInterfaceIsBeyondLoopback() {
    assertTrue(Loopback.listensBeyondLoopback("0.0.0.0"));
    assertTrue(Loopback.listensBeyondLoopback("::"));
    assertTrue(Loopback.listensBeyondLoopback("192.168.1.5"));
    assertTrue(Loopback.listensBeyondLoopback("gateway.example.com"));
  }

  @Test
  void listeningOnLoopbackOrLocalhostIsNot() {
    assertFalse(Loopback.listensBeyondLoopback("127.0.0.1"));
    assertFalse(Loopback.listensBeyondLoopback("localhost"));
    assertFalse(Loopback.listensBeyondLoopback("::1"));
  }
}
