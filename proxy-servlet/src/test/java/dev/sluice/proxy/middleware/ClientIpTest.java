package dev.sluice.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClientIpTest {
    @Test
    void ipv6SubnetMasksIpv6AddressesOnly() {
        assertEquals("2001:db8:1:2:0:0:0:0", ClientIp.masked("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 64));
        assertEquals("2001:db8:0:0:0:0:0:0", ClientIp.masked("2001:db8:ffff::1", 32));
        assertEquals("2001:db8:1:2:aaaa:bbbb:cccc:ddd0", ClientIp.masked("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 124));
        assertEquals("10.1.2.3", ClientIp.masked("10.1.2.3", 64), "IPv4 stays as it is");
        assertEquals("not-an-ip", ClientIp.masked("not-an-ip", 64));
        assertEquals("2001:db8::1", ClientIp.masked("2001:db8::1", null), "no subnet: unchanged");
    }
}
