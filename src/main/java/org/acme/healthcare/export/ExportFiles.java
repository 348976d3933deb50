package org.acme.healthcare.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.StreamingOutput;

import org.acme.healthcare.common.ApiException;

import io.agroal.api.AgroalDataSource;

/**
 * An export's NDJSON files, kept in {@code export_chunks}: a file is a part of a job (of one
 * resource type), its lines its chunks' in order. A download streams them a chunk (a page) at a time, so the heap holds
 * one page of one file, never a file.
 */
@ApplicationScoped
public class ExportFiles {
    /** A file of the manifest. */
    public record File(String type, int part, long count) {
    }

    private final AgroalDataSource dataSource;

    ExportFiles(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The job's files in order (parts are numbered in the order they were begun); in the caller's transaction. */
    @SuppressWarnings("unchecked")
    static List<File> files(long job) {
        List<Object[]> rows = ExportJob.getEntityManager().createNativeQuery(
                "select min(type), part, sum(lines) from export_chunks where job_id = :job group by part order by part")
                .setParameter("job", job).getResultList();
        return rows.stream().map(r -> new File((String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).longValue()))
                .toList();
    }

    /**
     * The file's NDJSON, streamed a chunk at a time. Each chunk is read in a statement of its own
     * that also checks the job (complete, not expired): no transaction and no pooled connection is
     * held while the client reads, and a cancel never waits for a download. The first chunk is read
     * before the answer starts: 404 when there is no such file of the caller's, 403 when the
     * caller's token does not read its resource type (a system token of the same client with other
     * scopes). A cancel or expiry in the middle of a download breaks the connection rather than end
     * the file early as if whole.
     */
    StreamingOutput open(long job, ExportCaller caller, int part) {
        Chunk first = next(job, caller, part, -1);
        if (first == null) {
            throw ApiException.notFound("File");
        }
        if (!"OperationOutcome".equals(first.type()) && !caller.reads(first.type())) {
            throw ApiException.forbidden("This token's scopes do not read this file's resource type.");
        }
        return out -> {
            Chunk chunk = first;
            while (chunk != null) {
                out.write(chunk.data().getBytes(StandardCharsets.UTF_8));
                Chunk previous = chunk;
                chunk = next(job, caller, part, previous.seq());
                if (chunk == null && !last(job, part, previous.seq())) {
                    throw new IOException("the export was cancelled or expired during the download");
                }
            }
        };
    }

    private record Chunk(int seq, String type, String data) {
    }

    /** The file's chunk after {@code seq}, if its job is still complete, unexpired and the caller's. */
    private Chunk next(long job, ExportCaller caller, int part, int seq) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select c.seq, c.type, c.data, j.user_id, j.client_id from export_chunks c"
                        + " join export_jobs j on j.id = c.job_id where c.job_id = ? and c.part = ? and c.seq > ?"
                        + " and j.status = 'complete' and j.expires_at > now() order by c.seq limit 1")) {
            ps.setLong(1, job);
            ps.setInt(2, part);
            ps.setInt(3, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ExportJob owner = new ExportJob();
                long user = rs.getLong(4);
                owner.userId = rs.wasNull() ? null : user;
                owner.clientId = rs.getString(5);
                return caller.owns(owner) ? new Chunk(rs.getInt(1), rs.getString(2), rs.getString(3)) : null;
            }
        } catch (SQLException e) {
            throw new ApiException.Unavailable("The export's files cannot be read now; try again later.");
        }
    }

    /** Whether {@code seq} is the file's last chunk and its job is still there (else the download is broken off). */
    private boolean last(long job, int part, int seq) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select not exists (select 1 from export_chunks where job_id = ?"
                        + " and part = ? and seq > ?) and exists (select 1 from export_jobs where id = ? and status = 'complete'"
                        + " and expires_at > now())")) {
            ps.setLong(1, job);
            ps.setInt(2, part);
            ps.setInt(3, seq);
            ps.setLong(4, job);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false;
        }
    }
}
