package org.acme.healthcare.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * The canonical encoding and its MACs do not move: the expected values were computed by
 * AuditChain as of 3004c1e (before the verifier's allocation-free paths), so seals written by any
 * earlier build still verify. A change here breaks every existing trail.
 */
class AuditChainEncodingTest {
    private static final HexFormat HEX = HexFormat.of();

    private static AuditChain.Row row() {
        AuditChain.Row r = new AuditChain.Row();
        r.id = 123456789L;
        r.occurredAt = Instant.parse("2026-12-06T18:00:00.123456Z");
        r.actorId = 42L;
        r.action = "read";
        r.recordType = "patient";
        r.recordId = null;
        r.recordIds = new Long[] { 1L, 2L, 3L };
        r.outcome = "success";
        r.requestId = "req-1";
        r.clientRequestId = "clé-ü"; // not ASCII
        r.clientAddress = "127.0.0.1";
        r.organizationId = 77L;
        r.detail = AuditChain.canonicalJson("{\"reason\": \"ünïcode \\\"q\\\"\", \"breakGlass\": true, \"n\": 5}");
        r.via = "rest";
        return r;
    }

    @Test
    void macDigestAndChainStepAreThoseOfTheFirstVersion() {
        AuditChain chain = new AuditChain("golden-key-golden-key-golden-key-0123".getBytes(StandardCharsets.UTF_8));
        AuditChain.Row r = row();
        assertEquals("{\"breakGlass\":true,\"n\":5,\"reason\":\"ünïcode \\\"q\\\"\"}", r.detail);
        String mac = "24e0e025d7d5b9c9d507a2f8cd3fa3ee7c3febfb503a9d3e96ca7cd8dda5241a";
        String legacy = "17b5c6661214681b52366889b60af148bca04ad6557e313129e19f3db6180f24";
        String next = "29cb9aa5f9707550f58ae87a50c10fe649b9ad45bcc24550e462f0ce7a27efab";
        assertEquals(mac, HEX.formatHex(chain.mac(r)));
        assertEquals(mac, HEX.formatHex(chain.digest(r, false)));
        assertEquals(legacy, HEX.formatHex(chain.digest(r, true)));
        assertEquals(next, HEX.formatHex(chain.next(chain.digest(r, false), chain.digest(r, true))));
        // The verifier's allocation-free forms, over and over (buffers and the MAC's state reused).
        byte[] d = new byte[32];
        byte[] h = new byte[32];
        for (int i = 0; i < 3; i++) {
            chain.digest(r, false, d);
            assertEquals(mac, HEX.formatHex(d));
            System.arraycopy(d, 0, h, 0, 32);
            chain.digest(r, true, d);
            assertEquals(legacy, HEX.formatHex(d));
            chain.next(h, d, h);
            assertEquals(next, HEX.formatHex(h));
        }
    }

    /** The verifier's own HMAC (pad blocks hashed once) equals the JDK's, for keys shorter and longer than a block. */
    @Test
    void theVerifiersHmacIsHmacSha256ForAnyKeyLength() {
        for (int length : new int[] { 32, 63, 64, 65, 100, 200 }) {
            AuditChain chain = new AuditChain("k".repeat(length).getBytes(StandardCharsets.UTF_8));
            byte[] d = new byte[32];
            chain.digest(row(), false, d);
            assertEquals(HEX.formatHex(chain.mac(row())), HEX.formatHex(d), "key of " + length + " bytes");
        }
    }
}
