package org.acme.healthcare.ops;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;

/**
 * On SIGTERM, the listening socket closes when the shutdown delay ends, before anything else
 * stops: a connection attempted after that is refused (ECONNREFUSED, which every client and
 * load balancer may retry elsewhere), never accepted and then reset. What was accepted is
 * drained: the application keeps running ({@link ShutdownEvent} observers, the database pool,
 * the beans) until each accepted connection has been answered and closed (every response carries
 * {@code Connection: close} by then), or has been idle for {@value #IDLE_GRACE_MS} ms (a
 * keep-alive connection nobody uses, or one opened without a request), or the shutdown timeout
 * has passed. Only then do Quarkus and Vert.x close what is left.
 * <p>
 * Before this, Quarkus kept listening after the delay until Vert.x closed, so connections made
 * in that last moment were accepted, reached a stopping application, and were reset when Vert.x
 * closed them. Vert.x 4 has no way to stop accepting without closing every connection, so the
 * listening channel is reached through its server ({@code TCPServerBase.bindFuture}); if a
 * Vert.x upgrade moves it, start-up logs a warning and shutdown falls back to Quarkus' own.
 * <p>
 * The close runs on the listener's event loop right after accepting everything the kernel has
 * queued, so only a handshake completed in the microsecond between that last accept and the
 * close is reset by the kernel: no user-space server can avoid that instant.
 */
@ApplicationScoped
public class ListenerShutdown {
    private static final Logger LOG = Logger.getLogger(ListenerShutdown.class);
    /** A connection with nothing in progress for this long is not about to send a request. */
    static final long IDLE_GRACE_MS = 500;
    private static final long POLL_MS = 10;

    private final Vertx vertx;
    private final Optional<Duration> delay;
    private final Duration timeout;
    private final List<Channel> listeners = new ArrayList<>();
    private final ChannelGroup connections = new DefaultChannelGroup("http-connections", GlobalEventExecutor.INSTANCE);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder accepted = new LongAdder();
    private volatile long closedAt;

    ListenerShutdown(Vertx vertx, @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay,
            @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> timeout) {
        this.vertx = vertx;
        this.delay = delay;
        this.timeout = timeout.orElse(Duration.ofSeconds(30));
    }

    /**
     * Finds the listening channels and counts every connection they accept from now on. Only in
     * the packaged service: dev mode keeps its HTTP server across live reloads, which must not close it.
     */
    void started(@ObservesAsync HttpServerStart event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<Channel> found = listeningChannels(vertx);
        if (found.isEmpty()) {
            LOG.warn("The HTTP listener could not be found: on shutdown it closes with its connections (Quarkus' default)");
            return;
        }
        synchronized (listeners) {
            for (Channel listener : found) {
                if (!listeners.contains(listener)) {
                    listeners.add(listener);
                    listener.pipeline().addFirst("healthcare-connections", new Accepted());
                }
            }
        }
    }

    /** From the start of the delay: the listener closes when it ends (the draining waits for that at the latest). */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        long millis = delay.map(Duration::toMillis).orElse(0L);
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeListeners();
        }, "http-listener-close");
        closer.setDaemon(true);
        closer.start();
    }

    /**
     * First of all shutdown observers: stop listening (if the delay's end has not done it yet),
     * then wait for the accepted connections as the class comment says.
     */
    void drain(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        closeListeners();
        // Within the same shutdown timeout as Quarkus' own wait for requests in flight, counted from
        // the listener's close: delay + timeout stays the whole shutdown, as documented.
        long deadline = closedAt + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Channel> open = new ArrayList<>(connections);
            if (open.stream().allMatch(ListenerShutdown::idle)) {
                if (!open.isEmpty()) {
                    LOG.infof("Closing %d idle HTTP connections", open.size());
                    open.forEach(Channel::close);
                }
                return;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warnf("Shutdown timeout: %d HTTP connections still busy", connections.size());
    }

    /** Once; a second caller waits until the first has closed them. */
    void closeListeners() {
        synchronized (listeners) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            closedAt = System.nanoTime();
            for (Channel listener : listeners) {
                // On the listener's own event loop: accept whatever the kernel has queued, then close
                // at once, so that no completed handshake waits in the backlog to be reset.
                listener.eventLoop().submit(() -> {
                    if (listener.unsafe() instanceof AbstractNioChannel.NioUnsafe nio) {
                        for (int i = 0; i < 64; i++) {
                            long before = accepted.sum();
                            nio.read();
                            if (accepted.sum() == before) {
                                break;
                            }
                        }
                    }
                    listener.close();
                }).syncUninterruptibly();
                listener.closeFuture().syncUninterruptibly();
            }
            if (!listeners.isEmpty()) {
                LOG.infof("HTTP listener closed: new connections are refused; draining %d accepted", connections.size());
            }
        }
    }

    /** Connections accepted and not yet closed (tests). */
    int openConnections() {
        return connections.size();
    }

    /** The listening channels of this Vert.x instance's HTTP servers, or none when they cannot be reached. */
    static List<Channel> listeningChannels(Vertx vertx) {
        List<Channel> found = new ArrayList<>();
        try {
            Field bindFuture = TCPServerBase.class.getDeclaredField("bindFuture");
            bindFuture.setAccessible(true);
            var servers = ((VertxInternal) vertx).sharedHttpServers();
            synchronized (servers) {
                for (TCPServerBase server : servers.values()) {
                    Object future = bindFuture.get(server);
                    if (future instanceof io.vertx.core.Future<?> f && f.result() instanceof Channel channel && channel.isOpen()) {
                        found.add(channel);
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("No listening channel", e);
            return List.of();
        }
        return found;
    }

    /** Nothing in progress for {@link #IDLE_GRACE_MS}: never read from, or answered with nothing read since. */
    private static boolean idle(Channel c) {
        Activity a = c.pipeline().get(Activity.class);
        return a == null || a.idle(System.nanoTime());
    }

    /** On the listening channel: every accepted connection is counted, and its activity followed. */
    @ChannelHandler.Sharable
    private final class Accepted extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                child.pipeline().addFirst("healthcare-activity", new Activity());
                connections.add(child);
                accepted.increment();
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Whether a connection has something in progress: bytes read since its last write (a request
     * being received or processed), or any traffic within the grace.
     */
    static final class Activity extends ChannelDuplexHandler {
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean awaitingAnswer;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastActivity = System.nanoTime();
            awaitingAnswer = true;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            lastActivity = System.nanoTime();
            awaitingAnswer = false;
            ctx.write(msg, promise);
        }

        boolean idle(long now) {
            return !awaitingAnswer && now - lastActivity >= TimeUnit.MILLISECONDS.toNanos(IDLE_GRACE_MS);
        }
    }
}
