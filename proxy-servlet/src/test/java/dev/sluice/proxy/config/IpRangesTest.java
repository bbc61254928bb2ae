package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangesTest {

    @ParameterizedTest(name = "\"{0}\" is valid")
    @ValueSource(strings = {
        "10.0.0.1", "10.0.0.0/8", "192.168.1.0/24", "0.0.0.0/0", "1.2.3.4/32", "10.1.2.3/8",
        "::1", "fd00::/8", "::/0", "::1/128", "2001:db8::/32", "::ffff:1.2.3.4", " 10.0.0.1 ",
    })
    void valid(String entry) {
        assertTrue(IpRanges.isValid(entry));
        IpRanges.parse(List.of(entry));
    }

    @ParameterizedTest(name = "\"{0}\" is invalid")
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/33       | prefix length /33 is larger than 32",
        "::1/129           | prefix length /129 is larger than 128",
        "1.2.3.4/-1        | invalid prefix length \"/-1\"",
        "1.2.3.4/          | invalid prefix length \"/\"",
        "1.2.3.4/8a        | invalid prefix length \"/8a\"",
        "/8                | invalid IP address \"\"",
        "example.com       | invalid IP address \"example.com\"",
        "localhost         | invalid IP address \"localhost\"",
        "1.2.3             | invalid IP address \"1.2.3\"",
        "1.2.3.4.5         | invalid IP address \"1.2.3.4.5\"",
        "256.1.1.1         | invalid IP address \"256.1.1.1\"",
        "1..2.3            | invalid IP address \"1..2.3\"",
        "::1::2            | invalid IP address \"::1::2\"",
    })
    void invalid(String entry, String message) {
        assertFalse(IpRanges.isValid(entry));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IpRanges.parse(List.of("127.0.0.1", entry)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void emptyEntryIsInvalid() {
        assertFalse(IpRanges.isValid(""));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/8                 | 10.255.1.2        | true",
        "10.0.0.0/8                 | 11.0.0.1          | false",
        "10.1.2.3/8                 | 10.9.9.9          | true",   // host bits in the entry are masked off
        "192.168.1.0/24             | 192.168.1.255     | true",
        "192.168.1.0/24             | 192.168.2.1       | false",
        "172.16.0.0/12              | 172.31.255.255    | true",
        "172.16.0.0/12              | 172.32.0.0        | false",
        "1.2.3.4/32                 | 1.2.3.4           | true",
        "1.2.3.4/32                 | 1.2.3.5           | false",
        "1.2.3.4                    | 1.2.3.4           | true",
        "1.2.3.4                    | 1.2.3.5           | false",
        "0.0.0.0/0                  | 203.0.113.7       | true",
        "0.0.0.0/0                  | ::1               | false",  // an IPv4 range never holds a real IPv6 client
        "::/0                       | 2001:db8::1       | true",
        "::/0                       | 127.0.0.1         | false",
        "::1/128                    | ::1               | true",
        "::1/128                    | ::2               | false",
        "::1                        | ::1               | true",
        "::1                        | 127.0.0.1         | false",
        "fd00::/8                   | fd12:3456::1      | true",
        "fd00::/8                   | fe80::1           | false",
        "2001:db8::/32              | 2001:db8:ffff::1  | true",
        "2001:db8::/32              | 2001:db9::1       | false",
        "10.0.0.0/8,::1             | ::1               | true",
        "10.0.0.0/8,::1             | 10.0.0.1          | true",
        "10.0.0.0/8,::1             | 192.168.0.1       | false",
        "10.0.0.0/8                 | ::ffff:10.1.2.3   | true",   // Java already turns this literal into 10.1.2.3
    })
    void contains(String entries, String client, boolean expected) throws UnknownHostException {
        IpRanges ranges = IpRanges.parse(Arrays.asList(entries.split(",")));
        assertEquals(expected, ranges.contains(InetAddress.getByName(client)));
    }

    @ParameterizedTest(name = "IPv4-mapped IPv6 client {0} in {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "10.1.2.3       | 10.0.0.0/8       | true",
        "11.1.2.3       | 10.0.0.0/8       | false",
        "192.168.1.20   | 192.168.1.0/24   | true",
        "192.168.1.20   | 192.168.1.20     | true",
        "192.168.1.20   | 0.0.0.0/0        | true",
        "192.168.1.20   | ::1              | false",
        "192.168.1.20   | 2001:db8::/32    | false",
    })
    void ipv4MappedIpv6ClientMatchesIpv4Ranges(String ipv4, String entry, boolean expected) throws UnknownHostException {
        // An Inet6Address that really holds ::ffff:a.b.c.d, as a dual-stack socket may report it.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(InetAddress.getByName(ipv4).getAddress(), 0, mapped, 12, 4);
        Inet6Address client = Inet6Address.getByAddress(null, mapped, -1);
        assertEquals(16, client.getAddress().length);
        assertEquals(expected, IpRanges.parse(List.of(entry)).contains(client));
    }

    @Test
    void ipv6AddressWithZerosIsNotTakenForIpv4Mapped() throws UnknownHostException {
        // ::a01:203 has the IPv4 bytes in the low 32 bits but no ffff marker: not 10.1.2.3.
        byte[] compat = new byte[16];
        compat[12] = 10;
        compat[13] = 1;
        compat[14] = 2;
        compat[15] = 3;
        Inet6Address client = Inet6Address.getByAddress(null, compat, -1);
        assertFalse(IpRanges.parse(List.of("10.0.0.0/8")).contains(client));
    }

    @Test
    void emptyAndNull() throws UnknownHostException {
        IpRanges none = IpRanges.parse(List.of());
        assertTrue(none.isEmpty());
        assertFalse(none.contains(InetAddress.getByName("127.0.0.1")));
        IpRanges some = IpRanges.parse(List.of("0.0.0.0/0"));
        assertFalse(some.isEmpty());
        assertFalse(some.contains(null));
    }
}
