package org.acme.healthcare.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 for one fault test, made by
 * {@code src/dev/local-postgres.sh} in a temporary directory (database {@code healthcare}, role
 * {@code healthcare}, trust authentication: loopback only, never real data). {@link #close()}
 * stops it and deletes its files. {@link #freeze()} and {@link #thaw()} stop and continue this
 * cluster's own processes by PID (the postmaster and its children), nothing else on the machine.
 */
public final class LocalCluster implements AutoCloseable {
    public static final String DB = "healthcare";
    private static final Path SCRIPT = Path.of("src/dev/local-postgres.sh");
    private final Path dir;
    public final int port;

    private LocalCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /**
     * A new, empty cluster listening on {@code port}, or, when that port is taken at the moment,
     * on {@code port + 100} or {@code port + 200} (read {@link #port}): another build on the machine
     * may hold it. The ports lie below Linux's ephemeral range (32768-60999, see {@link Ports}), so
     * no outgoing connection takes one.
     */
    public static LocalCluster start(int port) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int p = port + 100 * attempt;
            try {
                Path dir = Files.createTempDirectory(Path.of("target"), "it-pg-" + p + "-").toAbsolutePath();
                LocalCluster cluster = new LocalCluster(dir, p);
                cluster.script("start", dir.toString(), String.valueOf(p), DB);
                return cluster;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (IllegalStateException e) {
                if (e.getMessage() == null || !e.getMessage().contains("already in use")) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DB;
    }

    /** Stops PostgreSQL (fast shutdown); {@link #restart()} starts it again with the same data. */
    public void stop() {
        script("stop", dir.toString());
    }

    public void restart() {
        script("start", dir.toString(), String.valueOf(port), DB);
    }

    /** SIGSTOP to the postmaster and every backend: connections stay open, nothing answers. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT to the same processes. */
    public void thaw() {
        signal("CONT");
    }

    /** A connection of the test's own (autocommit), e.g. to hold a lock or to check what was written. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "healthcare", "");
    }

    /** One long value of a query. */
    public long queryLong(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void signal(String signal) {
        List<String> pids = new ArrayList<>(processes());
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        command.addAll(pids);
        run(command);
    }

    /** The postmaster (from its pid file) and its children (from /proc). */
    List<String> processes() {
        try {
            String postmaster = Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0).strip();
            List<String> pids = new ArrayList<>(List.of(postmaster));
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        if (fields[1].equals(postmaster)) {
                            pids.add(p.getFileName().toString());
                        }
                    } catch (IOException gone) {
                        // a process that ended while we looked
                    }
                }
            }
            return pids;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void script(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            thaw();
        } catch (RuntimeException notRunning) {
            // already stopped
        }
        try {
            stop();
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary directory under target/ left behind is removed by the next clean
        }
    }
}
