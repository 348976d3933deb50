package org.acme.healthcare.ops;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
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
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.AbstractNioChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;

/**
 * On SIGTERM, the listening socket closes {@link #acceptMargin} (0.5 s, at most a quarter of the
 * delay) before the shutdown delay ends, before anything else stops: a connection attempted after
 * that is refused (ECONNREFUSED, which every client and load balancer may retry elsewhere), never
 * accepted and then reset. The margin lets the connections accepted last deliver their requests
 * before Quarkus' graceful phase starts at the delay's end: that phase waits only for the requests
 * it has seen, and then the HTTP server closes every connection, so a request still unread on a
 * starved CPU (60 ms was enough in ShutdownIT on a loaded box) was cut off. What was accepted is
 * drained: the application keeps running ({@link ShutdownEvent} observers, the database pool,
 * the beans) until each accepted connection has been answered and closed (every response carries
 * {@code Connection: close} by then), or has been idle for {@value #IDLE_GRACE_MS} ms after an
 * answer (a keep-alive connection nobody uses), or was opened {@value #FIRST_REQUEST_GRACE_MS} ms
 * ago and has sent nothing (on a starved CPU the first read of a connection accepted at the last
 * moment can lag by more than the idle grace: closing it then would drop its request), or the shutdown timeout
 * has passed. Only then do Quarkus and Vert.x close what is left.
 * <p>
 * Before this, Quarkus kept listening after the delay until Vert.x closed, so connections made
 * in that last moment were accepted, reached a stopping application, and were reset when Vert.x
 * closed them. Vert.x 4 has no way to stop accepting without closing every connection, so the
 * listening channel is reached through its server ({@code TCPServerBase.bindFuture}); if a
 * Vert.x upgrade moves it, start-up logs a warning and shutdown falls back to Quarkus' own.
 * <p>
 * The socket closes right after the last accept with nothing in between ({@link #closeAfterLastAccept}):
 * only a handshake completed between those two system calls is reset by the kernel, an instant
 * no user-space server can remove.
 */
@ApplicationScoped
public class ListenerShutdown {
    private static final Logger LOG = Logger.getLogger(ListenerShutdown.class);
    /** A connection with nothing in progress for this long is not about to send a request. */
    static final long IDLE_GRACE_MS = 500;
    /** A connection that has sent nothing yet may still be waiting for its first read. */
    static final long FIRST_REQUEST_GRACE_MS = 5_000;
    private static final long POLL_MS = 10;
    /** AbstractNioChannel#javaChannel (protected): the JDK socket under a Netty channel, or null. */
    private static final Method JAVA_CHANNEL = javaChannelMethod();

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
        long delayMillis = delay.map(Duration::toMillis).orElse(0L);
        long millis = delayMillis - acceptMargin(delayMillis);
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

    /** How long before the delay's end the listener closes: 0.5 s, or a quarter of a shorter delay. */
    static long acceptMargin(long delayMillis) {
        return Math.min(500, delayMillis / 4);
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
        LOG.debugf("Draining: %d accepted connections open", connections.size());
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
                if (!closeAfterLastAccept(listener)) {
                    // Fallback: accept what the kernel has queued and close on the listener's own event
                    // loop; the socket itself closes at that loop's next select (JDK NIO defers it).
                    listener.eventLoop().submit(() -> {
                        acceptQueued(listener);
                        listener.close();
                    }).syncUninterruptibly();
                }
                listener.closeFuture().syncUninterruptibly();
            }
            if (!listeners.isEmpty()) {
                LOG.infof("HTTP listener closed: new connections are refused; draining %d accepted", connections.size());
            }
        }
    }

    /**
     * Closes the listening socket right after its last accept, with nothing in between: a
     * connection whose handshake completes in the kernel's queue after that last accept is reset
     * at the close, so the gap must be as short as two system calls. While an NIO channel is
     * registered with a selector, closing it only marks it, and the socket stays open (and keeps
     * completing handshakes) until the event loop's next select, a gap that a busy CPU stretches
     * to milliseconds. So the listener is first taken off its event loop and the selector lets
     * go of it; then, on that event loop, every queued connection is accepted and handed to the
     * server's pipeline as Netty would, and the bare socket is closed at once.
     *
     * @return false when the channel cannot be handled this way (then nothing was changed)
     */
    private boolean closeAfterLastAccept(Channel listener) {
        if (!(listener instanceof NioServerSocketChannel) || JAVA_CHANNEL == null) {
            return false;
        }
        ServerSocketChannel socket;
        try {
            socket = (ServerSocketChannel) JAVA_CHANNEL.invoke(listener);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return false;
        }
        EventLoop loop = listener.eventLoop();
        // Whatever is queued now is served; then the loop stops watching the socket.
        loop.submit(() -> acceptQueued(listener)).syncUninterruptibly();
        listener.deregister().syncUninterruptibly();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (socket.isRegistered() && System.nanoTime() < until) {
            loop.execute(() -> { }); // wakes the loop's selector, which then drops the cancelled key
            sleep(1);
        }
        if (socket.isRegistered()) {
            LOG.warn("The HTTP listener stayed registered with its selector; closing it the usual way");
            loop.submit(() -> listener.close()).syncUninterruptibly();
            return true;
        }
        loop.submit(() -> {
            try {
                SocketChannel accepted;
                while ((accepted = socket.accept()) != null) {
                    listener.pipeline().fireChannelRead(new NioSocketChannel(listener, accepted));
                }
                listener.pipeline().fireChannelReadComplete();
            } catch (IOException e) {
                LOG.debug("Accepting the last connections failed", e);
            } finally {
                try {
                    socket.close(); // not registered: the kernel closes the listening socket now
                } catch (IOException e) {
                    LOG.debug("Closing the listening socket failed", e);
                }
                listener.close();
            }
        }).syncUninterruptibly();
        return true;
    }

    /** On the listener's event loop: accepts whatever the kernel has queued, through Netty's own read. */
    private void acceptQueued(Channel listener) {
        if (listener.unsafe() instanceof AbstractNioChannel.NioUnsafe nio) {
            for (int i = 0; i < 64; i++) {
                long before = accepted.sum();
                nio.read();
                if (accepted.sum() == before) {
                    break;
                }
            }
        }
    }

    private static Method javaChannelMethod() {
        try {
            Method m = AbstractNioChannel.class.getDeclaredMethod("javaChannel");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    /** Nothing in progress: answered with nothing read since for {@link #IDLE_GRACE_MS}, or nothing sent for {@link #FIRST_REQUEST_GRACE_MS}. */
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
     * being received or processed), any traffic within the grace, or nothing read yet within the
     * first request's grace.
     */
    static final class Activity extends ChannelDuplexHandler {
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean awaitingAnswer;
        private volatile boolean everRead;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastActivity = System.nanoTime();
            awaitingAnswer = true;
            everRead = true;
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            lastActivity = System.nanoTime();
            awaitingAnswer = false;
            ctx.write(msg, promise);
        }

        boolean idle(long now) {
            long grace = everRead ? IDLE_GRACE_MS : FIRST_REQUEST_GRACE_MS;
            return !awaitingAnswer && now - lastActivity >= TimeUnit.MILLISECONDS.toNanos(grace);
        }
    }
}
