package org.acme.healthcare.it.support;

/**
 * Loopback ports of the fault tests: {@code it.pg.port-base} (26460) + n for their PostgreSQL
 * clusters and {@code it.http.port-base} (18120) + n for their jars; override both when another
 * build on the machine uses them. Both stay below 32768: Linux gives ports from 32768-60999 to
 * outgoing connections, so a fixed port there can be taken by any connection on the machine.
 */
public final class Ports {
    private Ports() {
    }

    public static int pg(int n) {
        return Integer.getInteger("it.pg.port-base", 26460) + n;
    }

    public static int http(int n) {
        return Integer.getInteger("it.http.port-base", 18120) + n;
    }
}
