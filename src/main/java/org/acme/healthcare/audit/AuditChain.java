package org.acme.healthcare.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The canonical encoding of audit events and seals, and the keyed MACs and hashes over it
 * (docs/history-and-audit.md, "Tamper evidence"). Version 1, big-endian, no padding:
 *
 * <pre>
 * event  = "hc-audit-event-v1" 0x00 id:int64 occurredAt:int64(µs since 1970-01-01T00:00:00Z)
 *          actorId:opt(int64) action:str recordType:str recordId:opt(int64) recordIds:opt(count:int32 int64*)
 *          outcome:str requestId:opt(str) clientRequestId:opt(str) clientAddress:opt(str)
 *          organizationId:opt(int64) detail:opt(str: canonical JSON) via:opt(str)
 * seal   = "hc-audit-seal-v1" 0x00 month:str("YYYY-MM") seq:int64 ranges:(count:int32 (lo:int64 hi:int64)*)
 *          events:int32 firstAt:int64 lastAt:int64 prevHash:bytes32 hash:bytes32
 * opt(x) = 0x00 | 0x01 x        str = length:int32 UTF-8 bytes
 * canonical JSON = the detail with object keys sorted, no whitespace (Jackson)
 * </pre>
 *
 * An event with {@code record_count} set (V19: an export's patients) keeps its ids in
 * {@code audit_event_records} rather than {@code record_ids}; its recordIds are those parts' ids in
 * part order, encoded exactly as above (count = record_count), and fed to the MAC part by part, so
 * neither the writer nor the verifier holds more than one part.
 * An event's digest is HMAC-SHA256(key, event) (its {@code mac} column); an event from before
 * V14 ({@code id <= legacy_through}, no mac) has SHA-256(event) instead. A month's chain starts
 * at SHA-256("hc-audit-chain-v1" 0x00 "YYYY-MM") and each event in seal order (seal by seal, ids
 * ascending within a seal) moves it on: {@code h = SHA-256(h || digest)}. A seal stores the hash
 * before its first event and after its last, and HMAC-SHA256(key, seal).
 */
public final class AuditChain {
    private static final byte[] EVENT_TAG = "hc-audit-event-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEAL_TAG = "hc-audit-seal-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    /** The columns {@link #read} expects, in this order. */
    public static final String COLUMNS = "id, occurred_at, actor_id, action, record_type, record_id, record_ids, outcome,"
            + " request_id, client_request_id, client_address, organization_id, detail::text, via, mac, record_count";
    /** A large event's ids, one part (at most 10,000) a row, in order (V19). */
    private static final String PARTS = "select record_ids from audit_event_records where event_id = ? and occurred_at = ?"
            + " order by part";

    private final SecretKeySpec key;
    private final Mac mac;
    private final MessageDigest sha;
    /** SHA-256 after the key's inner and outer pad blocks (RFC 2104): each MAC starts from a copy. */
    private final MessageDigest innerStart;
    private final MessageDigest outerStart;
    private final byte[] innerHash = new byte[32];
    private final Buffer buf = new Buffer();

    /** One per thread: the MAC and digest objects are not thread-safe. */
    public AuditChain(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            this.mac.init(this.key);
            this.sha = MessageDigest.getInstance("SHA-256");
            byte[] k = key.length > 64 ? MessageDigest.getInstance("SHA-256").digest(key) : key;
            byte[] ipad = new byte[64];
            byte[] opad = new byte[64];
            for (int i = 0; i < 64; i++) {
                byte b = i < k.length ? k[i] : 0;
                ipad[i] = (byte) (b ^ 0x36);
                opad[i] = (byte) (b ^ 0x5c);
            }
            this.innerStart = MessageDigest.getInstance("SHA-256");
            this.innerStart.update(ipad);
            this.outerStart = MessageDigest.getInstance("SHA-256");
            this.outerStart.update(opad);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * HMAC-SHA256 of the buffer into {@code out}: the same value as {@link Mac}, but the two pad
     * blocks are hashed once per key instead of once per MAC (JDK's HmacCore rehashes them each
     * time): 3 SHA-256 blocks for an event's MAC instead of 5, the verifier's largest cost.
     */
    private void hmac(byte[] data, int off, int len, byte[] out) throws GeneralSecurityException {
        MessageDigest inner;
        MessageDigest outer;
        try {
            inner = (MessageDigest) innerStart.clone();
            outer = (MessageDigest) outerStart.clone();
        } catch (CloneNotSupportedException e) {
            throw new GeneralSecurityException(e);
        }
        inner.update(data, off, len);
        inner.digest(innerHash, 0, 32);
        outer.update(innerHash, 0, 32);
        outer.digest(out, 0, 32);
    }

    /** An event as stored, for hashing. */
    public static final class Row {
        public long id;
        public Instant occurredAt;
        public Long actorId;
        public String action;
        public String recordType;
        public Long recordId;
        public Long[] recordIds;
        public String outcome;
        public String requestId;
        public String clientRequestId;
        public String clientAddress;
        public Long organizationId;
        /** The detail as canonical JSON. */
        public String detail;
        public String via;
        public byte[] mac;
        /** Set: the ids are in {@code audit_event_records} (V19), this many; {@link #recordIds} is null. */
        public Integer recordCount;
    }

    /** Reads a row selected with {@link #COLUMNS} starting at column 1. */
    public static Row read(ResultSet rs) throws SQLException {
        return read(rs, new Row());
    }

    /** Reads into {@code r} (reused by the verifier's loop: one row object a thread, not one a row). */
    public static Row read(ResultSet rs, Row r) throws SQLException {
        r.id = rs.getLong(1);
        r.occurredAt = rs.getObject(2, OffsetDateTime.class).toInstant();
        r.actorId = optLong(rs, 3);
        r.action = rs.getString(4);
        r.recordType = rs.getString(5);
        r.recordId = optLong(rs, 6);
        Array ids = rs.getArray(7);
        r.recordIds = ids == null ? null : (Long[]) ids.getArray();
        r.outcome = rs.getString(8);
        r.requestId = rs.getString(9);
        r.clientRequestId = rs.getString(10);
        r.clientAddress = rs.getString(11);
        r.organizationId = optLong(rs, 12);
        String detail = rs.getString(13);
        r.detail = detail == null ? null : canonicalJson(detail);
        r.via = rs.getString(14);
        r.mac = rs.getBytes(15);
        int count = rs.getInt(16);
        r.recordCount = rs.wasNull() ? null : count;
        return r;
    }

    private static Long optLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    /** The canonical JSON of a detail as the service writes it. */
    public static String canonicalJson(Map<String, Object> detail) {
        if (detail == null) {
            return null;
        }
        try {
            return CANONICAL.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not serialisable", e);
        }
    }

    /** The canonical JSON of a detail as PostgreSQL returns it (jsonb reorders keys and spaces). */
    public static String canonicalJson(String json) {
        try {
            return CANONICAL.writeValueAsString(CANONICAL.readValue(json, Object.class));
        } catch (JsonProcessingException e) {
            return json; // not JSON the service wrote: hashed as it is, so it fails the MAC
        }
    }

    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** HMAC-SHA256(key, encoding): the event's mac. */
    public byte[] mac(Row r) {
        encode(r);
        return mac.doFinal(Arrays.copyOf(buf.bytes, buf.size));
    }

    /** The event's link in the chain: its MAC, or for a pre-V14 event its plain SHA-256. */
    public byte[] digest(Row r, boolean legacy) {
        encode(r);
        if (legacy) {
            sha.update(buf.bytes, 0, buf.size);
            return sha.digest();
        }
        mac.update(buf.bytes, 0, buf.size);
        return mac.doFinal();
    }

    /** {@link #digest(Row, boolean)} into {@code out} (32 bytes), without allocating. */
    public void digest(Row r, boolean legacy, byte[] out) {
        encode(r);
        try {
            if (legacy) {
                sha.update(buf.bytes, 0, buf.size);
                sha.digest(out, 0, 32);
            } else {
                hmac(buf.bytes, 0, buf.size, out);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The MAC of an event whose ids are in {@code audit_event_records} ({@link Row#recordCount} set),
     * read from {@code c} a part at a time (it must be in a transaction, so the parts stream) into
     * {@code out}: the same value as {@link #mac} of the event with those ids in {@link Row#recordIds}.
     */
    public void digestWithParts(Row r, Connection c, byte[] out) throws SQLException {
        try {
            MessageDigest inner = (MessageDigest) innerStart.clone();
            MessageDigest outer = (MessageDigest) outerStart.clone();
            encodeHead(r);
            buf.u8(1);
            buf.i32(r.recordCount);
            try (PreparedStatement ps = c.prepareStatement(PARTS)) {
                ps.setLong(1, r.id);
                ps.setObject(2, OffsetDateTime.ofInstant(r.occurredAt, ZoneOffset.UTC));
                ps.setFetchSize(4);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Array part = rs.getArray(1);
                        for (Long id : (Long[]) part.getArray()) {
                            buf.i64(id);
                        }
                        part.free();
                        inner.update(buf.bytes, 0, buf.size);
                        buf.size = 0;
                    }
                }
            }
            encodeTail(r);
            inner.update(buf.bytes, 0, buf.size);
            inner.digest(innerHash, 0, 32);
            outer.update(innerHash, 0, 32);
            outer.digest(out, 0, 32);
        } catch (CloneNotSupportedException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code SHA-256(previous || digest)} into {@code out} (may be {@code previous}), without allocating. */
    public void next(byte[] previous, byte[] digest, byte[] out) {
        sha.update(previous);
        sha.update(digest);
        try {
            sha.digest(out, 0, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code SHA-256(previous || digest)}. */
    public byte[] next(byte[] previous, byte[] digest) {
        sha.update(previous);
        sha.update(digest);
        return sha.digest();
    }

    /** Where a month's chain starts. */
    public byte[] start(YearMonth month) {
        return sha.digest(("hc-audit-chain-v1\0" + month).getBytes(StandardCharsets.US_ASCII));
    }

    /** HMAC-SHA256(key, seal encoding). */
    public byte[] sealMac(YearMonth month, long seq, List<long[]> ranges, int events, Instant firstAt, Instant lastAt,
            byte[] prevHash, byte[] hash) {
        buf.size = 0;
        buf.put(SEAL_TAG);
        buf.str(month.toString());
        buf.i64(seq);
        buf.i32(ranges.size());
        for (long[] r : ranges) {
            buf.i64(r[0]);
            buf.i64(r[1]);
        }
        buf.i32(events);
        buf.i64(micros(firstAt));
        buf.i64(micros(lastAt));
        buf.put(prevHash);
        buf.put(hash);
        mac.update(buf.bytes, 0, buf.size);
        return mac.doFinal();
    }

    private void encode(Row r) {
        if (r.recordCount != null) {
            // Hashing this event needs its parts (digestWithParts): never hash it as if it had no ids.
            throw new IllegalStateException("event " + r.id + " keeps its ids in audit_event_records");
        }
        encodeHead(r);
        if (r.recordIds == null) {
            buf.u8(0);
        } else {
            buf.u8(1);
            buf.i32(r.recordIds.length);
            for (Long id : r.recordIds) {
                buf.i64(id == null ? 0 : id);
            }
        }
        encodeTail(r);
    }

    /** The encoding up to the record ids, from an empty buffer. */
    private void encodeHead(Row r) {
        buf.size = 0;
        buf.put(EVENT_TAG);
        buf.i64(r.id);
        buf.i64(micros(r.occurredAt));
        buf.optI64(r.actorId);
        buf.str(r.action);
        buf.str(r.recordType);
        buf.optI64(r.recordId);
    }

    /** The encoding after the record ids, appended. */
    private void encodeTail(Row r) {
        buf.str(r.outcome);
        buf.optStr(r.requestId);
        buf.optStr(r.clientRequestId);
        buf.optStr(r.clientAddress);
        buf.optI64(r.organizationId);
        buf.optStr(r.detail);
        buf.optStr(r.via);
    }

    public static boolean equal(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    // --- ranges: PostgreSQL's int8multirange text, canonical form {[lo,hi),...}

    private static final Pattern RANGE = Pattern.compile("\\[(-?\\d+),(-?\\d+)\\)");

    public static List<long[]> parseRanges(String multirange) {
        List<long[]> out = new ArrayList<>();
        Matcher m = RANGE.matcher(multirange);
        while (m.find()) {
            out.add(new long[] { Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) });
        }
        return out;
    }

    public static String formatRanges(List<long[]> ranges) {
        StringBuilder sb = new StringBuilder("{");
        for (long[] r : ranges) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('[').append(r[0]).append(',').append(r[1]).append(')');
        }
        return sb.append('}').toString();
    }

    /** The ranges of consecutive ids in an ascending list. */
    public static List<long[]> rangesOf(long[] sortedIds) {
        List<long[]> out = new ArrayList<>();
        for (long id : sortedIds) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last[1] == id) {
                last[1] = id + 1;
            } else {
                out.add(new long[] { id, id + 1 });
            }
        }
        return out;
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Buffer {
        byte[] bytes = new byte[512];
        int size;

        void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }

        void u8(int v) {
            ensure(1);
            bytes[size++] = (byte) v;
        }

        void i32(int v) {
            ensure(4);
            bytes[size++] = (byte) (v >>> 24);
            bytes[size++] = (byte) (v >>> 16);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        void i64(long v) {
            ensure(8);
            for (int s = 56; s >= 0; s -= 8) {
                bytes[size++] = (byte) (v >>> s);
            }
        }

        void optI64(Long v) {
            if (v == null) {
                u8(0);
            } else {
                u8(1);
                i64(v);
            }
        }

        void str(String s) {
            // ASCII (nearly every value: actions, codes, addresses, request ids) is its own UTF-8:
            // copied straight in, without the byte[] getBytes would allocate per field and row.
            int n = s.length();
            ensure(4 + n);
            int at = size + 4;
            for (int i = 0; i < n; i++) {
                char ch = s.charAt(i);
                if (ch >= 0x80) {
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    i32(b.length);
                    put(b);
                    return;
                }
                bytes[at + i] = (byte) ch;
            }
            i32(n);
            size += n;
        }

        void optStr(String s) {
            if (s == null) {
                u8(0);
            } else {
                u8(1);
                str(s);
            }
        }
    }
}
